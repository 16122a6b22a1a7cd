package archway.search;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a differentiable search run depends on. Defaults follow specs/darts-family.md; build one
 * with {@link #defaults} and the {@code with*} copies, or through the CLI. The algorithm decides the driver:
 * {@link DartsSearch} for darts, darts2 and a2m, {@link ZoSearch} (with a {@link ZoConfig}) for the zo family.
 *
 * <pre>{@code
 * SearchConfig cfg = SearchConfig.defaults("nb201", "a2m", "beta-darts", "fashion-mnist-mini", Path.of("runs/x"))
 *         .withSize(10, 16, 5, 64)     // epochs, channels C, cells, batch
 *         .withSeed(1, 4);             // seed, threads
 * }</pre>
 *
 * @param space          nb201 | darts
 * @param algo           darts | darts2 | a2m | zo-darts | zo-darts-plus | zo-darts-pp
 * @param base           darts | beta-darts | sdarts-rs | pc-darts | darts- (the DARTS driver's base method)
 * @param dataset        a name of {@code archway.data.Datasets#NAMES}, e.g. fashion-mnist-mini (bundled)
 * @param dataDir        where the dataset's files are; null for its default place
 * @param epochs         search epochs (default 50)
 * @param channels       C, channels of the first stage (default 16)
 * @param cells          nb201: cells per stage N (default 5); darts: cells in total (default 8)
 * @param batch          batch size of both halves of the training set (default 64)
 * @param seed           seed of weights, alpha, split, shuffling and augmentation (default 0)
 * @param threads        CPU threads; the same seed and threads give bit-identical results (default: all cores)
 * @param weightLr       SGD learning rate of the weights, cosine-annealed (0.025)
 * @param weightLrMin    final weight learning rate (0.001)
 * @param weightMomentum SGD momentum (0.9)
 * @param weightDecay    weight decay (3e-4)
 * @param gradClip       global gradient-norm clip of the weights (5)
 * @param archLr         Adam learning rate of alpha (3e-4)
 * @param archBeta1      Adam beta1 (0.5)
 * @param archBeta2      Adam beta2 (0.999)
 * @param archWeightDecay weight decay of alpha (1e-3)
 * @param rho            A²M perturbation size (1e-2 on nb201, 1e-1 on darts)
 * @param a2mEps         finite-difference step of A²M's Hessian-vector product (1e-2)
 * @param a2mNormalised  A²M perturbs along g0/||g0|| (the SAM-style variant) instead of g0
 * @param betaLambdaRate beta-DARTS: lambda = rate * epoch (0.5)
 * @param out            the run directory (config.json, metrics.jsonl, checkpoint.bin, result.json)
 * @param dropNone       DARTS space only: search without the "none" op (7 candidates instead of 8)
 */
public record SearchConfig(String space, String algo, String base, String dataset, Path dataDir, int epochs,
                           int channels, int cells, int batch, long seed, int threads, double weightLr,
                           double weightLrMin, double weightMomentum, double weightDecay, double gradClip,
                           double archLr, double archBeta1, double archBeta2, double archWeightDecay, double rho,
                           double a2mEps, boolean a2mNormalised, double betaLambdaRate, Path out, boolean dropNone) {
    public static final List<String> ALGOS = List.of("darts", "darts2", "a2m", "zo-darts", "zo-darts-plus", "zo-darts-pp");
    public static final List<String> BASES = List.of("darts", "beta-darts", "sdarts-rs", "pc-darts", "darts-");

    public SearchConfig {
        if (!ALGOS.contains(algo)) {
            throw new IllegalArgumentException("unknown --algo '" + algo + "' (known: " + String.join(", ", ALGOS) + ")");
        }
        if (!BASES.contains(base)) {
            throw new IllegalArgumentException("unknown --base '" + base + "' (known: " + String.join(", ", BASES) + ")");
        }
        if (epochs < 1 || channels < 1 || cells < 1 || batch < 2 || threads < 1) {
            throw new IllegalArgumentException("epochs, channels, cells, threads must be >= 1 and batch >= 2");
        }
        if (!(rho >= 0) || !(a2mEps > 0)) {
            throw new IllegalArgumentException("--rho must be >= 0 and --a2m-eps > 0");
        }
    }

    /** The configuration with "none" kept among the candidates (the spec's default). */
    public SearchConfig(String space, String algo, String base, String dataset, Path dataDir, int epochs,
                        int channels, int cells, int batch, long seed, int threads, double weightLr,
                        double weightLrMin, double weightMomentum, double weightDecay, double gradClip,
                        double archLr, double archBeta1, double archBeta2, double archWeightDecay, double rho,
                        double a2mEps, boolean a2mNormalised, double betaLambdaRate, Path out) {
        this(space, algo, base, dataset, dataDir, epochs, channels, cells, batch, seed, threads, weightLr, weightLrMin,
                weightMomentum, weightDecay, gradClip, archLr, archBeta1, archBeta2, archWeightDecay, rho, a2mEps,
                a2mNormalised, betaLambdaRate, out, false);
    }

    /** The spec's defaults for a space (A²M rho 1e-2 on nb201, 1e-1 on darts). */
    public static SearchConfig defaults(String space, String algo, String base, String dataset, Path out) {
        double rho = "darts".equals(space) ? 1e-1 : 1e-2;
        int cells = "darts".equals(space) ? 8 : 5;
        return new SearchConfig(space, algo, base, dataset, null, 50, 16, cells, 64, 0, Runtime.getRuntime().availableProcessors(),
                0.025, 0.001, 0.9, 3e-4, 5.0, 3e-4, 0.5, 0.999, 1e-3, rho, 1e-2, false, 0.5, out);
    }

    /**
     * The settings every search run records in config.json (and compares on --resume): run identity and
     * size. Each algorithm appends its own optimiser settings.
     */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("command", "search");
        m.put("space", space);
        m.put("algo", algo);
        m.put("base", base);
        m.put("dataset", dataset);
        m.put("data_dir", dataDir == null ? null : dataDir.toString());
        m.put("epochs", epochs);
        m.put("channels", channels);
        m.put("cells", cells);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("device", archway.runtime.Backends.standard().name());
        return m;
    }

    /** A copy with another run size: epochs, channels C, cells, batch. */
    public SearchConfig withSize(int epochs, int channels, int cells, int batch) {
        return new SearchConfig(space, algo, base, dataset, dataDir, epochs, channels, cells, batch, seed, threads,
                weightLr, weightLrMin, weightMomentum, weightDecay, gradClip, archLr, archBeta1, archBeta2,
                archWeightDecay, rho, a2mEps, a2mNormalised, betaLambdaRate, out, dropNone);
    }

    /** A copy with another seed and thread count. */
    public SearchConfig withSeed(long seed, int threads) {
        return new SearchConfig(space, algo, base, dataset, dataDir, epochs, channels, cells, batch, seed, threads,
                weightLr, weightLrMin, weightMomentum, weightDecay, gradClip, archLr, archBeta1, archBeta2,
                archWeightDecay, rho, a2mEps, a2mNormalised, betaLambdaRate, out, dropNone);
    }

    /** The same configuration searching the DARTS space without (true) or with the "none" op. */
    public SearchConfig withDropNone(boolean dropNone) {
        return new SearchConfig(space, algo, base, dataset, dataDir, epochs, channels, cells, batch, seed, threads,
                weightLr, weightLrMin, weightMomentum, weightDecay, gradClip, archLr, archBeta1, archBeta2,
                archWeightDecay, rho, a2mEps, a2mNormalised, betaLambdaRate, out, dropNone);
    }

    /** A copy writing to another run directory. */
    public SearchConfig withOut(Path out) {
        return new SearchConfig(space, algo, base, dataset, dataDir, epochs, channels, cells, batch, seed, threads,
                weightLr, weightLrMin, weightMomentum, weightDecay, gradClip, archLr, archBeta1, archBeta2,
                archWeightDecay, rho, a2mEps, a2mNormalised, betaLambdaRate, out, dropNone);
    }
}
