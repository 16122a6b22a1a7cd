package archway.search;

import archway.UserError;
import archway.data.Augmentation;
import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.SearchSplit;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.PartialChannelEdge;
import archway.nn.Pass;
import archway.optim.CosineSchedule;
import archway.optim.Sgd;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.run.SizeLimits;
import archway.runtime.Backends;
import archway.runtime.BufferArena;
import archway.train.PeakMemory;
import archway.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Differentiable architecture search (DARTS first order, second order, A²M) with the bases beta-DARTS,
 * SDARTS-RS, PC-DARTS and DARTS- (specs/darts-family.md). Per batch: the architecture step on a validation
 * batch, then the weight step on a training batch. Every pass is a plan of the same network; the
 * second-order step and A²M swap flat weight or alpha buffers instead of copying networks.
 *
 * <pre>{@code
 * SearchConfig cfg = SearchConfig.defaults("nb201", "darts", "darts", "fashion-mnist-mini", Path.of("runs/x"))
 *         .withSize(4, 8, 1, 32);
 * Map<String, Object> result = new DartsSearch(cfg, System.err).run(false);
 * String genotype = (String) result.get("genotype");
 * }</pre>
 */
public final class DartsSearch {
    /** Philox purpose of alpha initialisation. */
    static final int PURPOSE_ALPHA = 2;

    private final SearchConfig cfg;
    private final PrintStream log;
    private int trainLimit;

    /**
     * @param cfg a configuration whose algo is darts, darts2 or a2m
     * @param log where progress lines and notes go (e.g. {@code System.err})
     */
    public DartsSearch(SearchConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** Searches on a seeded random subset of this many training images (0 = all; for quick checks). */
    public DartsSearch trainLimit(int images) {
        if (images < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0");
        }
        this.trainLimit = images;
        return this;
    }

    /** The search space of a run: PC-DARTS edges for base pc-darts; "none" dropped on request (darts only). */
    static SearchSpace space(SearchConfig cfg) {
        return space(cfg.space(), cfg.dropNone(), "pc-darts".equals(cfg.base()));
    }

    private static SearchSpace space(String name, boolean dropNone, boolean partialChannel) {
        if (dropNone && !"darts".equals(name)) {
            throw new UserError("dropping the none op is an option of the darts space only (nb201 keeps its 5 ops)");
        }
        return switch (name) {
            case "nb201" -> new Nb201SearchSpace(partialChannel);
            case "darts" -> new DartsSearchSpace(!dropNone, partialChannel);
            default -> throw new UserError("unknown space '" + name + "' (known: nb201, darts)");
        };
    }

    /**
     * Runs the search, writing the run directory as it goes (config.json; one metrics.jsonl line per epoch
     * with losses, accuracies, genotype and probabilities; checkpoint.bin after every epoch; alpha-heatmap.png),
     * and returns what it writes to result.json: {@code algo, base, space, dataset, genotype} (the final one:
     * NB201 string or DARTS {@code Genotype(...)}), the space's lookups of it (nb201: {@code nb201_index},
     * {@code nb201_<cifar10|cifar100|imagenet16-120>_accuracy} when the table is available),
     * {@code best_epoch, best_val_loss, genotype_best_val_loss} and {@code best_}-prefixed lookups,
     * {@code alpha, probabilities} (rows of lists), {@code search_seconds, supernet_params, peak_rss_mb}.
     *
     * @param resume continue from the checkpoint in the run directory (same configuration) instead of starting
     * @throws archway.UserError for settings the space cannot run (e.g. pc-darts with C not a multiple of 4)
     * @throws archway.data.DataFormatException when the dataset is missing or malformed
     */
    public Map<String, Object> run(boolean resume) {
        return run(RunStart.of(resume));
    }

    /** Runs the search, starting its output directory as {@code start} says, and returns result.json. */
    public Map<String, Object> run(RunStart start) {
        Backends.standard().threads(cfg.threads());
        SearchSpace space = space(cfg);
        if ("pc-darts".equals(cfg.base()) && cfg.channels() % PartialChannelEdge.K != 0) {
            throw new UserError("--base pc-darts processes C/" + PartialChannelEdge.K + " channels per edge: --channels "
                    + cfg.channels() + " must be a multiple of " + PartialChannelEdge.K);
        }
        DatasetSplit data = Datasets.load(cfg.dataset(), cfg.dataDir());
        Dataset train = limited(data.train());
        SearchSplit split = SearchSplit.of(train, cfg.seed());
        ChannelStats stats = ChannelStats.of(train);
        SizeLimits.requireBatchFits(cfg.batch(), Math.min(split.weightTrain().length, split.archVal().length),
                "each half of the search split of " + train.name(), trainLimit > 0);
        int rows = space.rows(), cols = space.opCount();
        try (RunDirectory dir = RunDirectory.open(cfg.out(), start, log);
             Network net = new Network(space.supernet(cfg.channels(), cfg.cells(), train.numClasses()),
                train.channels(), train.height(), train.width(), cfg.seed());
             SimplexMap map = new SimplexMap(net.params().backend(), SimplexMap.Kind.SOFTMAX, rows, cols)) {
            ParamStore params = net.params();
            long wn = params.flatLength(ValueKind.WEIGHT);
            MixWeights mix = new MixWeights(params, space.mixBlocks());
            try (Sgd sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), wn, (float) cfg.weightMomentum(),
                    (float) cfg.weightDecay(), false);
                 BufferArena scratch = params.backend().arena()) {
                double[] alpha = initialAlpha(rows * cols, cfg.seed());
                AdamState adam = new AdamState(alpha.length, cfg.archLr(), cfg.archBeta1(), cfg.archBeta2(), 1e-8,
                        cfg.archWeightDecay());
                State st = new State();
                if (start.resumes()) {
                    restore(dir, params, sgd, adam, alpha, st);
                    dir.truncateMetrics(st.epoch);
                    log.printf("resuming %s at epoch %d/%d%n", dir.path(), st.epoch + 1, cfg.epochs());
                } else {
                    dir.truncateMetrics(0);
                }
                dir.writeJson("config.json", configMap());
                Loop loop = new Loop(net, space, map, mix, sgd, adam, alpha, st, dir, scratch);
                return loop.run(train, split, stats);
            }
        }
    }

    /** The training set, or a seeded random subset of {@link #trainLimit} images of it. */
    private Dataset limited(Dataset train) {
        if (trainLimit == 0 || trainLimit >= train.size()) {
            return train;
        }
        int[] sub = archway.data.Subsets.random(train.size(), trainLimit, cfg.seed());
        return train.subset(sub, train.name() + "[" + trainLimit + "]");
    }

    /** Initial architecture parameters: 1e-3 * N(0, 1) from Philox (seed, PURPOSE_ALPHA). */
    static double[] initialAlpha(int n, long seed) {
        float[] s = Backends.standard().normalToHost(n, seed, PURPOSE_ALPHA, 0);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1e-3 * s[i];
        }
        return out;
    }

    /** Progress kept across epochs and in the checkpoint. */
    private static final class State {
        int epoch;
        double seconds;
        double bestValLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        String bestGenotype = "";
    }

    private final class Loop {
        final Network net;
        final SearchSpace space;
        final SimplexMap map;
        final MixWeights mix;
        final Sgd sgd;
        final AdamState adam;
        final double[] alpha;
        final State st;
        final RunDirectory dir;
        final SearchStep searchStep;
        final SupernetObjective objective;
        final List<double[]> history = new ArrayList<>();

        Loop(Network net, SearchSpace space, SimplexMap map, MixWeights mix, Sgd sgd, AdamState adam, double[] alpha,
             State st, RunDirectory dir, BufferArena scratch) {
            this.net = net;
            this.space = space;
            this.map = map;
            this.mix = mix;
            this.sgd = sgd;
            this.adam = adam;
            this.alpha = alpha;
            this.st = st;
            this.dir = dir;
            this.searchStep = new SearchStep(cfg, net, space, map, mix, sgd, adam, alpha, scratch);
            this.objective = searchStep.objective();
        }

        Map<String, Object> run(Dataset train, SearchSplit split, ChannelStats stats) {
            CosineSchedule schedule = new CosineSchedule(cfg.weightLr(), cfg.weightLrMin(), cfg.epochs());
            Augmentation aug = Augmentation.defaultFor(train);
            for (Map<String, Object> m : dir.readMetrics()) {
                history.add(toDoubles(m.get("probabilities")));
            }
            // Fresh loaders per epoch: the two halves can have different epoch lengths, and a search uses
            // min(len) steps, so one long-lived loader would drift across epochs and a resumed run (which
            // starts its loaders at step 0 of its epoch) would see different batches.
            for (int epoch = st.epoch; epoch < cfg.epochs(); epoch++) {
                try (BatchLoader trainLoader = BatchLoader.resume(train, split.weightTrain(), cfg.batch(), aug, stats,
                        cfg.seed(), epoch, 0);
                     BatchLoader valLoader = BatchLoader.resume(train, split.archVal(), cfg.batch(), aug, stats,
                             cfg.seed() ^ 0x5DEECE66DL, epoch, 0)) {
                    int steps = Math.min(trainLoader.stepsPerEpoch(), valLoader.stepsPerEpoch());
                    epoch(epoch, steps, (float) schedule.at(epoch), trainLoader, valLoader);
                }
            }
            return finish();
        }

        private void epoch(int epoch, int steps, float lr, BatchLoader trainLoader, BatchLoader valLoader) {
            long t0 = System.nanoTime();
            long archNanos = 0, weightNanos = 0;
            double trainLoss = 0, valLoss = 0;
            long trainHits = 0, valHits = 0;
            objective.betaLambda("beta-darts".equals(cfg.base()) ? cfg.betaLambdaRate() * epoch : 0);
            Progress bar = new Progress(log, String.format("search %d/%d", epoch + 1, cfg.epochs()), steps);
            for (int step = 0; step < steps; step++) {
                // DARTS-: auxiliary skip weight decays linearly 1 -> 0 over the whole search.
                if ("darts-".equals(cfg.base())) {
                    double beta = 1.0 - (epoch * (double) steps + step) / (cfg.epochs() * (double) steps);
                    double[] off = new double[alpha.length];
                    for (int r = 0; r < space.rows(); r++) {
                        off[r * space.opCount() + space.skipIndex()] = beta;
                    }
                    objective.offset(off);
                }
                long a0 = System.nanoTime();
                long archEnd;
                try (Batch vb = valLoader.next(); Batch tb = trainLoader.next()) {
                    searchStep.arch(vb.images(), vb.labels(), tb.images(), tb.labels(), lr);
                    valLoss += objective.firstLoss();
                    valHits += objective.firstCorrect();
                    archEnd = System.nanoTime();
                    archNanos += archEnd - a0;
                    // Weight step on the training batch with the (possibly perturbed) mixing weights.
                    searchStep.prepareWeight(tb.images(), tb.labels(), epoch, step);
                }
                float loss = searchStep.weightForward();
                if (!Float.isFinite(loss)) {
                    throw new TrainingDivergedException("search loss became " + loss + " at epoch " + (epoch + 1)
                            + ", step " + (step + 1) + "; stopped. Last checkpoint: " + dir.checkpoint());
                }
                searchStep.weightUpdate(lr);
                weightNanos += System.nanoTime() - archEnd;
                trainLoss += loss;
                trainHits += searchStep.weightCorrect();
                if ((step + 1) % 5 == 0 || step + 1 == steps) {
                    bar.update(step + 1, String.format("train %.3f val %.3f", trainLoss / (step + 1), valLoss / (step + 1)));
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            st.seconds += secs;
            double[] p = map.forward(alpha, 1);
            history.add(p);
            String genotype = space.genotype(p);
            double meanVal = valLoss / steps;
            if (meanVal < st.bestValLoss) {
                st.bestValLoss = meanVal;
                st.bestEpoch = epoch + 1;
                st.bestGenotype = genotype;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch + 1);
            m.put("lr", lr);
            m.put("train_loss", trainLoss / steps);
            m.put("train_accuracy", 100.0 * trainHits / ((long) steps * cfg.batch()));
            m.put("val_loss", meanVal);
            m.put("val_accuracy", 100.0 * valHits / ((long) steps * cfg.batch()));
            m.put("genotype", genotype);
            m.putAll(space.describe(genotype));
            m.put("probabilities", rowsOf(p));
            m.put("images_per_s", 2.0 * steps * cfg.batch() / secs);
            m.put("arch_step_seconds", archNanos / 1e9);
            m.put("weight_step_seconds", weightNanos / 1e9);
            m.put("seconds", secs);
            dir.appendMetrics(m);
            log.printf("epoch %d/%d  train %.4f (%.1f%%)  val %.4f (%.1f%%)  %.0f img/s  %s%n", epoch + 1, cfg.epochs(),
                    trainLoss / steps, m.get("train_accuracy"), meanVal, m.get("val_accuracy"), m.get("images_per_s"),
                    genotype);
            st.epoch = epoch + 1;
            checkpoint();
        }

        private void checkpoint() {
            var p = net.params();
            dir.saveCheckpoint(new Checkpoint().putString("config", configJson())
                        .putFloats("weights", p.weights(), p.flatLength(ValueKind.WEIGHT))
                        .putFloats("state", p.state(), p.flatLength(ValueKind.STATE))
                        .putFloats("sgd.momentum", sgd.state(), sgd.size())
                        .putDoubles("alpha", alpha)
                        .putDoubles("adam.m", adam.m())
                        .putDoubles("adam.v", adam.v())
                        .putDoubles("progress", new double[] {st.epoch, st.seconds, adam.steps(), st.bestValLoss,
                                st.bestEpoch})
                        .putString("best_genotype", st.bestGenotype));
        }

        private Map<String, Object> finish() {
            double[] p = map.forward(alpha, 1);
            String genotype = space.genotype(p);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("algo", cfg.algo());
            r.put("base", cfg.base());
            r.put("space", cfg.space());
            r.put("dataset", cfg.dataset());
            r.put("genotype", genotype);
            r.putAll(space.describe(genotype));
            r.put("best_epoch", st.bestEpoch);
            r.put("best_val_loss", st.bestValLoss);
            r.put("genotype_best_val_loss", st.bestGenotype);
            Map<String, Object> bestInfo = space.describe(st.bestGenotype.isEmpty() ? genotype : st.bestGenotype);
            bestInfo.forEach((k, v) -> r.put("best_" + k, v));
            r.put("alpha", rowsOf(alpha));
            r.put("probabilities", rowsOf(p));
            r.put("search_seconds", st.seconds);
            r.put("supernet_params", net.params().weightCount());
            r.put("peak_rss_mb", PeakMemory.peakRssMb());
            dir.writeJson("result.json", r);
            try {
                AlphaHeatmap.write(dir.file("alpha-heatmap.png"), space, history);
            } catch (IOException | RuntimeException e) {
                log.println("note: could not draw the alpha heatmap: " + e.getMessage());
            }
            return r;
        }

        private List<List<Double>> rowsOf(double[] v) {
            List<List<Double>> out = new ArrayList<>();
            int cols = space.opCount();
            for (int r = 0; r < v.length / cols; r++) {
                List<Double> row = new ArrayList<>();
                for (int c = 0; c < cols; c++) {
                    row.add(v[r * cols + c]);
                }
                out.add(row);
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    private static double[] toDoubles(Object rows) {
        List<List<Number>> r = (List<List<Number>>) rows;
        return r.stream().flatMap(List::stream).mapToDouble(Number::doubleValue).toArray();
    }

    private void restore(RunDirectory dir, ParamStore params, Sgd sgd, AdamState adam, double[] alpha, State st) {
        Checkpoint ck = dir.resumeCheckpoint(configJson());
        ck.getFloats("weights", params.weights(), params.flatLength(ValueKind.WEIGHT));
        ck.getFloats("state", params.state(), params.flatLength(ValueKind.STATE));
        ck.getFloats("sgd.momentum", sgd.state(), sgd.size());
        System.arraycopy(ck.getDoubles("alpha", alpha.length), 0, alpha, 0, alpha.length);
        double[] prog = ck.getDoubles("progress", 5);
        adam.restore(ck.getDoubles("adam.m", alpha.length), ck.getDoubles("adam.v", alpha.length), (int) prog[2]);
        st.epoch = (int) prog[0];
        st.seconds = prog[1];
        st.bestValLoss = prog[3];
        st.bestEpoch = (int) prog[4];
        st.bestGenotype = ck.getString("best_genotype");
    }

    Map<String, Object> configMap() {
        Map<String, Object> m = cfg.describe();
        m.put("train_limit", trainLimit);
        m.put("weight_lr", cfg.weightLr());
        m.put("weight_lr_min", cfg.weightLrMin());
        m.put("weight_momentum", cfg.weightMomentum());
        m.put("weight_decay", cfg.weightDecay());
        m.put("grad_clip", cfg.gradClip());
        m.put("arch_lr", cfg.archLr());
        m.put("arch_betas", List.of(cfg.archBeta1(), cfg.archBeta2()));
        m.put("arch_weight_decay", cfg.archWeightDecay());
        if ("a2m".equals(cfg.algo())) {
            m.put("rho", cfg.rho());
            m.put("a2m_eps", cfg.a2mEps());
            m.put("a2m_normalised", cfg.a2mNormalised());
        }
        if ("beta-darts".equals(cfg.base())) {
            m.put("beta_lambda_rate", cfg.betaLambdaRate());
        }
        if (cfg.dropNone()) {
            m.put("drop_none", true);
        }
        return m;
    }

    private String configJson() {
        return RunDirectory.toJson(configMap());
    }
}
