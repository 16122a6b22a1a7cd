package archway.supernet;

import archway.train.TrainAugmentation;
import archway.train.TrainConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Training of the mbv3 once-for-all supernet ({@code nas supernet train}).
 *
 * @param dataset           a name of {@code archway.data.Datasets#NAMES}
 * @param dataDir           where the dataset's files are (null: its default place)
 * @param trainLimit        a seeded random subset of this many training images (0 = all)
 * @param calibrationImages training images on which a subnet's batch-norm statistics are recalibrated before
 *                          it is evaluated
 * @param rule              subnets per step (largest, smallest, random ones)
 * @param out               the run directory
 */
public record SupernetConfig(String dataset, Path dataDir, int epochs, int batch, long seed, int threads, double lr,
                             double lrMin, double momentum, double weightDecay, double gradClip, int trainLimit,
                             int calibrationImages, SandwichRule rule, TrainAugmentation augmentation, Path out) {
    public SupernetConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(augmentation, "augmentation");
        if (epochs < 1 || batch < 1 || threads < 1) {
            throw new IllegalArgumentException("--epochs, --batch and --threads must be >= 1");
        }
        if (batch < 2) {
            throw new IllegalArgumentException("--batch must be >= 2 (batch norm of a 1x1 feature map needs 2 images)");
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0 (0 = all images), got " + trainLimit);
        }
        if (calibrationImages < 2) {
            throw new IllegalArgumentException("--calibration-images must be >= 2, got " + calibrationImages);
        }
        TrainConfig.requireValidSgd(lr, lrMin, momentum, weightDecay, gradClip);
    }

    /**
     * The defaults of {@code nas supernet train}: 5 epochs, batch 64, seed 0, all cores, FlatNAS's SGD (lr 0.1
     * cosine to 0 per step, momentum 0.9, weight decay 5e-5), gradient-norm clip 5 on the summed gradient, every
     * training image, 512 calibration images, two random subnets per step, augmentation by dataset.
     */
    public static SupernetConfig defaults(String dataset, Path out) {
        return new SupernetConfig(dataset, null, 5, 64, 0, Runtime.getRuntime().availableProcessors(), 0.1, 0, 0.9, 5e-5,
                5, 0, 512, SandwichRule.STANDARD, TrainAugmentation.AUTO, out);
    }

    public SupernetConfig withSize(int epochs, int batch, int trainLimit, int calibrationImages) {
        return new SupernetConfig(dataset, dataDir, epochs, batch, seed, threads, lr, lrMin, momentum, weightDecay,
                gradClip, trainLimit, calibrationImages, rule, augmentation, out);
    }

    public SupernetConfig withSeed(long seed, int threads) {
        return new SupernetConfig(dataset, dataDir, epochs, batch, seed, threads, lr, lrMin, momentum, weightDecay,
                gradClip, trainLimit, calibrationImages, rule, augmentation, out);
    }

    public SupernetConfig withOut(Path out) {
        return new SupernetConfig(dataset, dataDir, epochs, batch, seed, threads, lr, lrMin, momentum, weightDecay,
                gradClip, trainLimit, calibrationImages, rule, augmentation, out);
    }

    public SupernetConfig withAugmentation(TrainAugmentation augmentation) {
        return new SupernetConfig(dataset, dataDir, epochs, batch, seed, threads, lr, lrMin, momentum, weightDecay,
                gradClip, trainLimit, calibrationImages, rule, augmentation, out);
    }
}
