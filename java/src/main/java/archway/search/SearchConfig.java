package archway.search;

import archway.spaces.SupernetVariant;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a search run depends on, typed and grouped. Defaults follow specs/darts-family.md and
 * specs/zo-darts.md; start from {@link #defaults} and change what differs with the named copies
 * ({@link #withSize}, {@link #withSeed}, {@link #withWeights}, ...).
 *
 * @param space         the cell space
 * @param algo          the algorithm (gradient or zeroth-order family)
 * @param base          the base of a gradient-family search ({@link Base#DARTS} for the ZO family)
 * @param dataset       dataset name ({@code archway.data.Datasets})
 * @param dataDir       where the dataset lives (null: its default place)
 * @param trainLimit    search on a seeded random subset of this many training images (0: all)
 * @param size          epochs, supernet channels, cells and batch
 * @param seed          seed of every random choice (same seed + threads: bit-identical runs)
 * @param threads       CPU threads
 * @param weights       the supernet weights' SGD and cosine schedule
 * @param arch          Adam on the architecture parameters
 * @param a2m           A²M's radius and finite-difference step
 * @param pcDarts       the pc-darts base's partial-channel slicing and edge normalisation
 * @param betaLambdaRate beta-DARTS: lambda = rate * epoch
 * @param dropNone      DARTS space only: search without the "none" op (7 candidates instead of 8)
 * @param zo            the zeroth-order family's settings (ignored by the gradient family)
 * @param out           the run directory
 */
public record SearchConfig(SpaceKind space, Algorithm algo, Base base, String dataset, Path dataDir, int trainLimit,
                           Size size, long seed, int threads, WeightOptimiser weights, ArchOptimiser arch,
                           A2mSettings a2m, PcDartsSettings pcDarts, double betaLambdaRate, boolean dropNone, ZoConfig zo, Path out) {

    /** Search length and supernet size. */
    public record Size(int epochs, int channels, int cells, int batch) {
        public Size {
            if (epochs < 1 || channels < 1 || cells < 1 || batch < 2) {
                throw new IllegalArgumentException("epochs, channels and cells must be >= 1 and batch >= 2");
            }
        }
    }

    /** SGD on the supernet weights: lr cosine-annealed per epoch from {@code lr} to {@code lrMin}; gradients clipped to {@code gradClip}. */
    public record WeightOptimiser(double lr, double lrMin, double momentum, double weightDecay, boolean nesterov,
                                  double gradClip) {
        public WeightOptimiser {
            if (!(lr > 0) || !(lrMin >= 0 && lrMin <= lr) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)
                    || !(gradClip > 0)) {
                throw new IllegalArgumentException("weight optimiser out of range: lr > 0, 0 <= lr min <= lr, "
                        + "momentum in [0, 1), weight decay >= 0, gradient clip > 0");
            }
        }
    }

    /** Adam(W-free, L2 in the gradient) on the architecture parameters. */
    public record ArchOptimiser(double lr, double beta1, double beta2, double weightDecay) {
        public ArchOptimiser {
            if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("architecture optimiser: lr > 0, betas in [0, 1), weight decay >= 0");
            }
        }
    }

    /** A²M: radius rho, finite-difference step eps, and the SAM-style normalised variant. */
    public record A2mSettings(double rho, double eps, boolean normalised) {
        public A2mSettings {
            if (!(rho >= 0) || !(eps > 0)) {
                throw new IllegalArgumentException("A2M radius rho must be >= 0 and its step eps > 0");
            }
        }
    }

    /**
     * PC-DARTS (docs/specs/darts-family.md): where the C/K channels are taken (per edge, or once per cell on
     * NB201 as in AsquaredM) and whether each node weights its edges by softmax(beta) (edge normalisation; off
     * matches AsquaredM).
     */
    public record PcDartsSettings(SupernetVariant.PartialChannels slicing, boolean edgeNormalisation) {
        public PcDartsSettings {
            if (slicing == null || slicing == SupernetVariant.PartialChannels.NONE) {
                throw new IllegalArgumentException("PC-DARTS slices channels per edge or per cell");
            }
        }

        /** The defaults: per cell on nb201, per edge on darts; edge normalisation on. */
        public static PcDartsSettings defaults(SpaceKind space) {
            return new PcDartsSettings(space == SpaceKind.NB201 ? SupernetVariant.PartialChannels.PER_CELL
                    : SupernetVariant.PartialChannels.PER_EDGE, true);
        }
    }

    public SearchConfig {
        if (space == null || algo == null || base == null || size == null || weights == null || arch == null
                || a2m == null || pcDarts == null || zo == null) {
            throw new IllegalArgumentException("space, algorithm, base, size and the optimiser settings are required");
        }
        if (threads < 1 || trainLimit < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and the train limit >= 0");
        }
    }

    /** The spec's defaults; labels as on the command line (e.g. "nb201", "a2m", "pc-darts"). */
    public static SearchConfig defaults(String space, String algo, String base, String dataset, Path out) {
        return defaults(SpaceKind.parse(space), Algorithm.parse(algo), Base.parse(base), dataset, out);
    }

    /**
     * The spec's defaults: 50 epochs, C = 16, 5 cells per stage on nb201 (8 cells on darts), batch 64, all
     * cores; weights SGD 0.025 -> 0.001, momentum 0.9, wd 3e-4, clip 5 (the ZO family: 0.1 -> 0.001 with
     * Nesterov, as the ZO-DARTS reference); Adam 3e-4 (0.5, 0.999), wd 1e-3 on alpha; A²M rho 1e-2 on nb201,
     * 1e-1 on darts, eps 1e-2.
     */
    public static SearchConfig defaults(SpaceKind space, Algorithm algo, Base base, String dataset, Path out) {
        double rho = space == SpaceKind.DARTS ? 1e-1 : 1e-2;
        int cells = space == SpaceKind.DARTS ? 8 : 5;
        WeightOptimiser weights = algo.zerothOrder()
                ? new WeightOptimiser(0.1, 0.001, 0.9, 3e-4, true, 5.0)
                : new WeightOptimiser(0.025, 0.001, 0.9, 3e-4, false, 5.0);
        return new SearchConfig(space, algo, base, dataset, null, 0, new Size(50, 16, cells, 64), 0,
                Runtime.getRuntime().availableProcessors(), weights, new ArchOptimiser(3e-4, 0.5, 0.999, 1e-3),
                new A2mSettings(rho, 1e-2, false), PcDartsSettings.defaults(space), 0.5, false, ZoConfig.defaults(), out);
    }

    public int epochs() { return size.epochs(); }

    public int channels() { return size.channels(); }

    public int cells() { return size.cells(); }

    public int batch() { return size.batch(); }

    /**
     * The settings every search run records in config.json (and compares on --resume): run identity and
     * size. Each algorithm appends its own optimiser settings.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "search");
        m.put("space", space.label());
        m.put("algo", algo.label());
        m.put("base", base.label());
        m.put("dataset", dataset);
        m.put("data_dir", dataDir == null ? null : dataDir.toString());
        m.put("epochs", epochs());
        m.put("channels", channels());
        m.put("cells", cells());
        m.put("batch", batch());
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("device", archway.runtime.Backends.standard().name());
        m.put("train_limit", trainLimit);
        m.put("weight_lr", weights.lr());
        m.put("weight_lr_min", weights.lrMin());
        m.put("weight_momentum", weights.momentum());
        m.put("weight_decay", weights.weightDecay());
        m.put("nesterov", weights.nesterov());
        m.put("grad_clip", weights.gradClip());
        m.put("arch_betas", List.of(arch.beta1(), arch.beta2()));
        m.put("arch_weight_decay", arch.weightDecay());
        return m;
    }

    /** A copy with another search length and supernet size. */
    public SearchConfig withSize(int epochs, int channels, int cells, int batch) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, new Size(epochs, channels, cells, batch),
                seed, threads, weights, arch, a2m, pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    /** A copy with another seed and thread count (the pair that fixes a run bit for bit). */
    public SearchConfig withSeed(long seed, int threads) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, weights, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    /** A copy searching on a seeded subset of {@code images} training images (0: all). */
    public SearchConfig withTrainLimit(int images) {
        return new SearchConfig(space, algo, base, dataset, dataDir, images, size, seed, threads, weights, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    /** A copy reading the dataset from {@code dir}. */
    public SearchConfig withDataDir(Path dir) {
        return new SearchConfig(space, algo, base, dataset, dir, trainLimit, size, seed, threads, weights, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    public SearchConfig withWeights(WeightOptimiser w) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, w, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    /** A copy with other PC-DARTS settings (used by the pc-darts base only). */
    public SearchConfig withPcDarts(PcDartsSettings s) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, weights, arch, a2m,
                s, betaLambdaRate, dropNone, zo, out);
    }

    public SearchConfig withA2m(A2mSettings s) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, weights, arch, s,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    /** The same configuration searching the DARTS space without (true) or with the "none" op. */
    public SearchConfig withDropNone(boolean dropNone) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, weights, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }

    public SearchConfig withZo(ZoConfig z) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, weights, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, z, out);
    }

    public SearchConfig withOut(Path out) {
        return new SearchConfig(space, algo, base, dataset, dataDir, trainLimit, size, seed, threads, weights, arch, a2m,
                pcDarts, betaLambdaRate, dropNone, zo, out);
    }
}
