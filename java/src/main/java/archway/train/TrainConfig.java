package archway.train;

import java.nio.file.Path;

/**
 * Training of one discrete network from scratch (NAS-Bench-201-style recipe: SGD, Nesterov momentum,
 * cosine learning rate, weight decay, gradient clipping).
 *
 * <p>Build one with {@link #defaults} and the {@code with*} copies, then run it with {@link Trainer}.
 *
 * @param space      nb201 | darts
 * @param arch       NB201 architecture string (space nb201) or DARTS Genotype text (space darts)
 * @param dataset    a name of {@code archway.data.Datasets#NAMES}
 * @param dataDir    where the dataset's files are (null: the dataset's default place)
 * @param cells      nb201: cells per stage N; darts: cells in total
 * @param trainLimit use only this many training images (a seeded random subset; 0 = all)
 * @param out        the run directory (config.json, metrics.jsonl, checkpoint.bin, result.json)
 * @param augmentation training augmentation (AUTO: by dataset)
 * @param lrSteps    cosine learning rate updated per step or per epoch
 */
public record TrainConfig(String space, String arch, String dataset, Path dataDir, int epochs, int channels, int cells,
                          int batch, long seed, int threads, double lr, double lrMin, double momentum,
                          double weightDecay, boolean nesterov, double gradClip, int trainLimit, Path out,
                          TrainAugmentation augmentation, LrSteps lrSteps) {
    public TrainConfig {
        if (epochs < 1 || channels < 1 || cells < 1 || batch < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, channels, cells, batch and threads must all be >= 1");
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0");
        }
        java.util.Objects.requireNonNull(augmentation, "augmentation");
        java.util.Objects.requireNonNull(lrSteps, "lrSteps");
        requireValidSgd(lr, lrMin, momentum, weightDecay, gradClip);
    }

    /** The SGD settings every training shares (--lr, --lr-min, --momentum, --weight-decay, --grad-clip), checked. */
    public static void requireValidSgd(double lr, double lrMin, double momentum, double weightDecay, double gradClip) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr);
        }
        if (!(lrMin >= 0 && lrMin <= lr)) {
            throw new IllegalArgumentException("--lr-min must be in [0, --lr] = [0, " + lr + "] (the cosine schedule "
                    + "falls from --lr to --lr-min), got " + lrMin);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        if (!(gradClip >= 0) || Double.isNaN(gradClip)) {
            throw new IllegalArgumentException("--grad-clip must be >= 0 (0 = off), got " + gradClip);
        }
    }

    /**
     * The defaults of {@code nas train}: 5 epochs, C = 16, 1 cell, batch 64, seed 0, all cores, SGD lr 0.1
     * cosine to 0 updated every step, Nesterov momentum 0.9, weight decay 5e-4, gradient-norm clip 5, every
     * training image, augmentation by dataset ({@link TrainAugmentation#AUTO}).
     */
    public static TrainConfig defaults(String space, String arch, String dataset, Path out) {
        return new TrainConfig(space, arch, dataset, null, 5, 16, 1, 64, 0, Runtime.getRuntime().availableProcessors(),
                0.1, 0, 0.9, 5e-4, true, 5, 0, out, TrainAugmentation.AUTO, LrSteps.STEP);
    }

    public TrainConfig withSize(int epochs, int channels, int cells, int batch) {
        return new TrainConfig(space, arch, dataset, dataDir, epochs, channels, cells, batch, seed, threads, lr, lrMin,
                momentum, weightDecay, nesterov, gradClip, trainLimit, out, augmentation, lrSteps);
    }

    public TrainConfig withSeed(long seed, int threads) {
        return new TrainConfig(space, arch, dataset, dataDir, epochs, channels, cells, batch, seed, threads, lr, lrMin,
                momentum, weightDecay, nesterov, gradClip, trainLimit, out, augmentation, lrSteps);
    }

    public TrainConfig withTrainLimit(int images) {
        return new TrainConfig(space, arch, dataset, dataDir, epochs, channels, cells, batch, seed, threads, lr, lrMin,
                momentum, weightDecay, nesterov, gradClip, images, out, augmentation, lrSteps);
    }

    public TrainConfig withRecipe(TrainAugmentation augmentation, LrSteps lrSteps) {
        return new TrainConfig(space, arch, dataset, dataDir, epochs, channels, cells, batch, seed, threads, lr, lrMin,
                momentum, weightDecay, nesterov, gradClip, trainLimit, out, augmentation, lrSteps);
    }

    /** The same configuration writing to {@code out}. */
    public TrainConfig withOut(Path out) {
        return new TrainConfig(space, arch, dataset, dataDir, epochs, channels, cells, batch, seed, threads, lr, lrMin,
                momentum, weightDecay, nesterov, gradClip, trainLimit, out, augmentation, lrSteps);
    }
}
