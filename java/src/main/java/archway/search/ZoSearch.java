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
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.optim.CosineSchedule;
import archway.optim.GradientClip;
import archway.optim.Sgd;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.run.SizeLimits;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;
import archway.train.PeakMemory;
import archway.train.TrainingDivergedException;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zeroth-order differentiable search (specs/zo-darts.md): {@code zo-darts} (softmax), {@code zo-darts-plus}
 * (sparsemax with an annealed temperature, zero-weight candidates skipped) and {@code zo-darts-pp}
 * (size-variable NB201 with kernel and depth parameters and a parameter-count band).
 *
 * <p>Every R weight steps one architecture update. With the one-sided estimator a perturbed twin
 * (w~ starts equal to w, theta + mu z) takes the same R SGD steps on the same training batches as the
 * main weights; the twin is a second flat weight buffer (and its own momentum buffer) swapped into the
 * parameter store around its steps, so both run the same plans and nothing is copied but flat spans.
 * Windows restart at every epoch, so a checkpoint at an epoch end holds no twin and resume is exact
 * (directions are Philox draws keyed by seed and update index).
 */
public final class ZoSearch {
    private final SearchConfig cfg;
    private final ZoConfig zo;
    private final PrintStream log;
    private final boolean sparse, plusPlus;

    /**
     * @param cfg a configuration whose algo is zo-darts, zo-darts-plus or zo-darts-pp, on the nb201 space
     * @param zo  the zeroth-order settings ({@link ZoConfig#defaults()} follows the spec)
     * @param log where progress lines and notes go (e.g. {@code System.err})
     */
    public ZoSearch(SearchConfig cfg, ZoConfig zo, PrintStream log) {
        if (!ZoConfig.ALGOS.contains(cfg.algo())) {
            throw new IllegalArgumentException("ZoSearch runs " + ZoConfig.ALGOS + ", not " + cfg.algo());
        }
        this.cfg = cfg;
        this.zo = zo;
        this.log = log;
        this.sparse = !"zo-darts".equals(cfg.algo());
        this.plusPlus = "zo-darts-pp".equals(cfg.algo());
    }

    /**
     * Runs the search, writing the run directory as {@link DartsSearch#run} does, and returns what it writes to
     * result.json: {@code algo, space, dataset, genotype}; for zo-darts and zo-darts-plus the NB201 lookups of
     * the genotype (as {@link DartsSearch#run}); for zo-darts-pp {@code derive, expected_params, derived_params,
     * derived_params_closed_form} and, under a budget, {@code budget_band, derived_in_band}; then
     * {@code best_epoch, best_val_loss, genotype_best_val_loss, temperature, theta, probabilities,
     * search_seconds, supernet_params, peak_rss_mb}.
     *
     * @param resume continue from the checkpoint in the run directory (same configuration) instead of starting
     */
    public Map<String, Object> run(boolean resume) {
        return run(RunStart.of(resume));
    }

    /** Runs the search, starting its output directory as {@code start} says, and returns result.json. */
    public Map<String, Object> run(RunStart start) {
        if (!"nb201".equals(cfg.space())) {
            throw new UserError("--algo " + cfg.algo() + " searches the nb201 space (zo-darts-pp: its size-variable form)");
        }
        if (!"darts".equals(cfg.base())) {
            throw new UserError("--algo " + cfg.algo() + " has no --base variants");
        }
        Backends.standard().threads(cfg.threads());
        DatasetSplit data = Datasets.load(cfg.dataset(), cfg.dataDir());
        Dataset train = data.train();
        SearchSplit split = SearchSplit.of(train, cfg.seed());
        ChannelStats stats = ChannelStats.of(train);
        SizeLimits.requireBatchFits(cfg.batch(), Math.min(split.weightTrain().length, split.archVal().length),
                "each half of the search split of " + train.name(), false);
        try (RunDirectory dir = RunDirectory.open(cfg.out(), start, log);
             ZoArch arch = plusPlus
                ? new ZoSizeVariableArch(cfg.channels(), cfg.cells(), train.numClasses(), train.channels())
                : new ZoNb201Arch(sparse ? SimplexMap.Kind.SPARSEMAX : SimplexMap.Kind.SOFTMAX, cfg.channels(),
                        cfg.cells(), train.numClasses());
             Network net = new Network(arch.supernet(), train.channels(), train.height(), train.width(), cfg.seed())
                     .sparseMix(sparse);
             BufferArena scratch = net.params().backend().arena()) {
            ParamStore params = net.params();
            long wn = params.flatLength(ValueKind.WEIGHT);
            boolean nesterov = plusPlus;
            try (Sgd sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), wn, (float) cfg.weightMomentum(),
                    (float) cfg.weightDecay(), nesterov);
                 Sgd twinSgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), wn, (float) cfg.weightMomentum(),
                         (float) cfg.weightDecay(), nesterov)) {
                Loop loop = new Loop(net, arch, sgd, twinSgd, dir, scratch);
                if (start.resumes()) {
                    loop.restore();
                    dir.truncateMetrics(loop.epoch);
                    log.printf("resuming %s at epoch %d/%d%n", dir.path(), loop.epoch + 1, cfg.epochs());
                } else {
                    dir.truncateMetrics(0);
                }
                dir.writeJson("config.json", configMap());
                return loop.run(train, split, stats);
            }
        }
    }

    /** Initial theta: 1e-3 * N(0, 1) from Philox (purpose alpha), appended blocks drawn with later step keys. */
    static double[] noise(int n, long seed, int step) {
        float[] s = Backends.standard().normalToHost(n, seed, DartsSearch.PURPOSE_ALPHA, step);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1e-3 * s[i];
        }
        return out;
    }

    private final class Loop {
        final Network net;
        final ZoArch arch;
        final ZoSizeVariableArch sv;
        final Sgd sgd, twinSgd;
        final RunDirectory dir;
        final MixWeights mix;
        final ParamStore params;
        final long wn, sn;
        final Buffer twin, stash, stateStash;
        final FlatOps flat;
        final Pass weightPass;
        final ZoTemperature temperature = new ZoTemperature(zo.t0(), zo.decay(), zo.every());
        double[] theta;
        AdamState adam;
        ZoPenalty band;
        int epoch;
        int updates;
        double seconds;
        double bestValLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        String bestGenotype = "";

        Loop(Network net, ZoArch arch, Sgd sgd, Sgd twinSgd, RunDirectory dir, BufferArena scratch) {
            this.net = net;
            this.arch = arch;
            this.sv = arch instanceof ZoSizeVariableArch s ? s : null;
            this.sgd = sgd;
            this.twinSgd = twinSgd;
            this.dir = dir;
            this.params = net.params();
            this.mix = new MixWeights(params, arch.mixBlocks());
            this.wn = params.flatLength(ValueKind.WEIGHT);
            this.sn = params.flatLength(ValueKind.STATE);
            boolean oneSided = zo.estimator() == ZoConfig.Estimator.ONE_SIDED;
            this.twin = oneSided ? scratch.allocate(Math.max(wn, 1)) : null;
            this.stash = oneSided ? scratch.allocate(Math.max(wn, 1)) : null;
            this.stateStash = oneSided ? scratch.allocate(Math.max(sn, 1)) : null;
            this.flat = params.flat();
            this.weightPass = net.pass(cfg.batch(), Mode.TRAIN, ValueKind.WEIGHT);
            this.theta = noise(arch.size(), cfg.seed(), 0);
            this.adam = newAdam(theta.length);
            if (sv != null && !zo.budget().isEmpty() && !ZoConfig.PRESETS.contains(zo.budget())) {
                double[] b = ZoConfig.band(zo.budget());
                band = new ZoPenalty(b[0], b[1]);
            }
        }

        AdamState newAdam(int n) {
            return new AdamState(n, zo.archLr(), cfg.archBeta1(), cfg.archBeta2(), 1e-8, cfg.archWeightDecay());
        }

        double temp(int e) {
            return sparse ? temperature.at(e) : 1.0;
        }

        Map<String, Object> run(Dataset train, SearchSplit split, ChannelStats stats) {
            CosineSchedule schedule = plusPlus
                    ? new CosineSchedule(0.1, 0.001, cfg.epochs())
                    : new CosineSchedule(cfg.weightLr(), cfg.weightLrMin(), cfg.epochs());
            Augmentation aug = Augmentation.defaultFor(train);
            for (; epoch < cfg.epochs(); ) {
                if (sv != null && !sv.expanded() && epoch >= zo.expandEpoch()) {
                    expand();
                }
                // Fresh loaders per epoch: each epoch's batches are a pure function of (seed, epoch), so resume is exact.
                try (BatchLoader trainLoader = BatchLoader.resume(train, split.weightTrain(), cfg.batch(), aug, stats,
                        cfg.seed(), epoch, 0);
                     BatchLoader valLoader = BatchLoader.resume(train, split.archVal(), cfg.batch(), aug, stats,
                             cfg.seed() ^ 0x5DEECE66DL, epoch, 0)) {
                    epoch((float) schedule.at(epoch), trainLoader, valLoader);
                }
            }
            return finish(train);
        }

        /** ZO-DARTS++ at --expand-epoch: kernel crops, beta and gamma join theta; Adam is rebuilt over all of it. */
        void expand() {
            int before = theta.length;
            sv.expand();
            double[] grown = java.util.Arrays.copyOf(theta, sv.size());
            double[] extra = noise(sv.size() - before, cfg.seed(), 1);
            System.arraycopy(extra, 0, grown, before, extra.length);
            theta = grown;
            adam = newAdam(theta.length);
            if (band == null) {
                band = presetBand();
            }
            log.printf("epoch %d: kernel sizes 7/5/3 and depth enabled (theta %d -> %d); parameter band [%.0f, %.0f]%n",
                    epoch + 1, before, theta.length, band == null ? 0 : band.lower(),
                    band == null ? Double.POSITIVE_INFINITY : band.upper());
        }

        /**
         * small / medium / large: percentiles of the exact parameter counts of architectures sampled from
         * the current probabilities. At expansion the alpha part comes from the unconstrained first phase
         * (no penalty before --expand-epoch) and beta, gamma are freshly initialised (near-uniform), so the
         * samples span the kernel and depth choices of the architectures that phase favours.
         */
        ZoPenalty presetBand() {
            if (zo.budget().isEmpty()) {
                return null;
            }
            double[] counts = sv.sampleCounts(theta, temp(epoch), zo.budgetSamples(), cfg.seed());
            java.util.Arrays.sort(counts);
            return switch (zo.budget()) {
                case "small" -> new ZoPenalty(0, percentile(counts, 20));
                case "medium" -> new ZoPenalty(percentile(counts, 40), percentile(counts, 60));
                case "large" -> new ZoPenalty(percentile(counts, 80), percentile(counts, 95));
                default -> throw new IllegalStateException(zo.budget());
            };
        }

        private void epoch(float lr, BatchLoader trainLoader, BatchLoader valLoader) {
            long t0 = System.nanoTime();
            long archNanos = 0, weightNanos = 0, twinNanos = 0;
            double T = temp(epoch);
            int steps = zo.maxSteps() > 0 ? Math.min(zo.maxSteps(), trainLoader.stepsPerEpoch()) : trainLoader.stepsPerEpoch();
            int windows = (steps + zo.interval() - 1) / zo.interval();
            if (valLoader.stepsPerEpoch() < windows) {
                throw new UserError("the validation half has " + valLoader.stepsPerEpoch() + " batches per epoch but "
                        + windows + " architecture updates need one each; raise --zo-interval or lower --batch");
            }
            boolean oneSided = zo.estimator() == ZoConfig.Estimator.ONE_SIDED;
            double trainLoss = 0, valLoss = 0, penaltySum = 0;
            long trainHits = 0, valHits = 0;
            int updatesThisEpoch = 0;
            double[] z = null, plus = null;
            double mu = 0;
            Progress bar = new Progress(log, String.format("search %d/%d", epoch + 1, cfg.epochs()), steps);
            for (int step = 0; step < steps; step++) {
                if (step % zo.interval() == 0 && oneSided) {
                    z = ZoDirection.unit(theta.length, cfg.seed(), updates);
                    mu = ZoEstimator.mu(zo.muScale(), theta);
                    plus = theta.clone();
                    for (int i = 0; i < plus.length; i++) {
                        plus[i] += mu * z[i];
                    }
                    flat.copy(params.weights(), twin, wn);
                    flat.copy(sgd.state(), twinSgd.state(), wn);
                }
                long w0 = System.nanoTime();
                try (Batch tb = trainLoader.next()) {
                    weightPass.load(tb.images(), tb.labels());
                }
                mix.write(arch.mixing(theta, T));
                float loss = weightStep(sgd, lr, step);
                trainLoss += loss;
                trainHits += weightPass.correct();
                long w1 = System.nanoTime();
                weightNanos += w1 - w0;
                if (oneSided) {
                    // The twin: swap its flat weights in, take the same step at theta + mu z, swap back.
                    flat.copy(params.weights(), stash, wn);
                    flat.copy(params.state(), stateStash, sn);
                    flat.copy(twin, params.weights(), wn);
                    mix.write(arch.mixing(plus, T));
                    weightStep(twinSgd, lr, step);
                    flat.copy(params.weights(), twin, wn);
                    flat.copy(stash, params.weights(), wn);
                    flat.copy(stateStash, params.state(), sn);
                    twinNanos += System.nanoTime() - w1;
                }
                if ((step + 1) % zo.interval() == 0 || step + 1 == steps) {
                    long a0 = System.nanoTime();
                    double[] lv;
                    try (Batch vb = valLoader.next()) {
                        lv = oneSided ? oneSidedUpdate(vb, T, z, mu) : twoPointUpdate(vb, T);
                    }
                    valLoss += lv[0];
                    valHits += (long) lv[1];
                    penaltySum += lv[2];
                    updates++;
                    updatesThisEpoch++;
                    archNanos += System.nanoTime() - a0;
                }
                if ((step + 1) % 5 == 0 || step + 1 == steps) {
                    bar.update(step + 1, String.format("train %.3f val %.3f", trainLoss / (step + 1),
                            valLoss / Math.max(1, updatesThisEpoch)));
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            seconds += secs;
            double[] p = arch.probabilities(theta, T);
            String genotype = arch.genotype(p);
            double meanVal = valLoss / updatesThisEpoch;
            if (meanVal < bestValLoss) {
                bestValLoss = meanVal;
                bestEpoch = epoch + 1;
                bestGenotype = genotype;
            }
            double[] m0 = arch.mixing(theta, T);
            int zeros = 0;
            for (double v : m0) {
                zeros += v == 0 ? 1 : 0;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch + 1);
            m.put("lr", lr);
            m.put("temperature", T);
            m.put("train_loss", trainLoss / steps);
            m.put("train_accuracy", 100.0 * trainHits / ((long) steps * cfg.batch()));
            m.put("val_loss", meanVal);
            m.put("val_accuracy", 100.0 * valHits / ((long) updatesThisEpoch * cfg.batch()));
            m.put("arch_updates", updatesThisEpoch);
            m.put("genotype", genotype);
            m.putAll(arch.describe(p));
            if (sv != null) {
                m.put("expanded", sv.expanded());
                m.put("expected_params", sv.expectedParams(theta, T));
                m.put("penalty", penaltySum / updatesThisEpoch);
                if (band != null) {
                    m.put("budget_band", List.of(band.lower(), band.upper()));
                }
            }
            m.put("zero_mixing_weights", zeros);
            m.put("mixing_weights", m0.length);
            m.put("probabilities", arch.rows(p));
            // Every image the epoch read: each training batch once (main and twin reuse it) plus the validation batches.
            m.put("images_per_s", (double) (steps + updatesThisEpoch) * cfg.batch() / secs);
            m.put("arch_step_seconds", archNanos / 1e9);
            m.put("weight_step_seconds", weightNanos / 1e9);
            m.put("twin_step_seconds", twinNanos / 1e9);
            m.put("seconds", secs);
            dir.appendMetrics(m);
            log.printf("epoch %d/%d  T %.3f  train %.4f (%.1f%%)  val %.4f (%.1f%%)  %.0f img/s  zeros %d/%d  %s%n",
                    epoch + 1, cfg.epochs(), T, trainLoss / steps, m.get("train_accuracy"), meanVal,
                    m.get("val_accuracy"), m.get("images_per_s"), zeros, m0.length, genotype);
            epoch++;
            checkpoint();
        }

        /** One SGD step of whatever weights are in the store, on the loaded batch, at the mixing weights written. */
        private float weightStep(Sgd opt, float lr, int step) {
            weightPass.forward();
            float loss = weightPass.loss();
            if (!Float.isFinite(loss)) {
                throw new TrainingDivergedException("search loss became " + loss + " at epoch " + (epoch + 1)
                        + ", step " + (step + 1) + "; stopped. Last checkpoint: " + dir.checkpoint());
            }
            weightPass.backward();
            GradientClip.clip(params.flat(), params.weightGrads(), wn, cfg.gradClip());
            opt.step(lr);
            return loss;
        }

        /** {loss, correct, penalty} at theta; updates theta with the one-sided ZO hypergradient. */
        private double[] oneSidedUpdate(Batch vb, double T, double[] z, double mu) {
            Pass both = net.pass(cfg.batch(), Mode.TRAIN, EnumSet.of(ValueKind.WEIGHT, ValueKind.MIX));
            both.load(vb.images(), vb.labels());
            mix.write(arch.mixing(theta, T));
            both.forward();
            float loss = both.loss();
            checkArch(loss);
            int correct = both.correct();
            both.backward();
            double[] gTheta = arch.backward(theta, T, mix.readGrad());
            // ((w~ - w) / mu) . grad_w L_val(w, theta), the difference formed in the stash span.
            flat.copy(twin, stash, wn);
            flat.axpy(-1f, params.weights(), stash, wn);
            double weightTerm = flat.dot(stash, params.weightGrads(), wn) / mu;
            double[] g = ZoEstimator.oneSided(z, gTheta, weightTerm);
            double pen = addPenalty(g, T);
            adam.step(theta, g);
            return new double[] {loss, correct, pen};
        }

        /** {loss, correct, penalty} at theta; updates theta with the two-point estimator over q directions. */
        private double[] twoPointUpdate(Batch vb, double T) {
            Pass probe = net.pass(cfg.batch(), Mode.TRAIN);
            probe.load(vb.images(), vb.labels());
            mix.write(arch.mixing(theta, T));
            probe.forward();
            float loss = probe.loss();
            checkArch(loss);
            int correct = probe.correct();
            double mu = ZoEstimator.mu(zo.muScale(), theta);
            double[] g = new double[theta.length];
            double[] shifted = new double[theta.length];
            for (int j = 0; j < zo.q(); j++) {
                double[] z = ZoDirection.unit(theta.length, cfg.seed(), updates * zo.q() + j);
                double[] l = new double[2];
                for (int side = 0; side < 2; side++) {
                    double sgn = side == 0 ? 1 : -1;
                    for (int i = 0; i < theta.length; i++) {
                        shifted[i] = theta[i] + sgn * mu * z[i];
                    }
                    mix.write(arch.mixing(shifted, T));
                    probe.forward();
                    l[side] = probe.loss();
                }
                ZoEstimator.addTwoPoint(g, z, l[0], l[1], mu, zo.q());
            }
            double pen = addPenalty(g, T);
            adam.step(theta, g);
            return new double[] {loss, correct, pen};
        }

        private void checkArch(float loss) {
            if (!Float.isFinite(loss)) {
                throw new TrainingDivergedException("architecture loss became " + loss + " at epoch " + (epoch + 1));
            }
        }

        /** ZO-DARTS++ after expansion: adds the exact gradient of the closed-form penalty; returns its value. */
        private double addPenalty(double[] g, double T) {
            if (sv == null || !sv.expanded() || band == null) {
                return 0;
            }
            double p = sv.expectedParams(theta, T);
            double slope = band.slope(p, T);
            if (slope != 0) {
                double[] dp = sv.expectedParamsGrad(theta, T);
                for (int i = 0; i < g.length; i++) {
                    g[i] += slope * dp[i];
                }
            }
            return band.value(p, T);
        }

        private void checkpoint() {
            dir.saveCheckpoint(new Checkpoint().putString("config", configJson())
                        .putFloats("weights", params.weights(), wn)
                        .putFloats("state", params.state(), sn)
                        .putFloats("sgd.momentum", sgd.state(), sgd.size())
                        .putDoubles("theta", theta)
                        .putDoubles("adam.m", adam.m())
                        .putDoubles("adam.v", adam.v())
                        .putDoubles("progress", new double[] {epoch, seconds, adam.steps(), bestValLoss, bestEpoch,
                                updates, theta.length, band == null ? -1 : band.lower(),
                                band == null ? -1 : band.upper()})
                        .putString("best_genotype", bestGenotype));
        }

        void restore() {
            Checkpoint ck = dir.resumeCheckpoint(configJson());
            double[] prog = ck.getDoubles("progress", 9);
            if (sv != null && (int) prog[6] != theta.length) {
                sv.expand();
            }
            theta = ck.getDoubles("theta", (int) prog[6]);
            adam = newAdam(theta.length);
            adam.restore(ck.getDoubles("adam.m", theta.length), ck.getDoubles("adam.v", theta.length), (int) prog[2]);
            ck.getFloats("weights", params.weights(), wn);
            ck.getFloats("state", params.state(), sn);
            ck.getFloats("sgd.momentum", sgd.state(), sgd.size());
            epoch = (int) prog[0];
            seconds = prog[1];
            bestValLoss = prog[3];
            bestEpoch = (int) prog[4];
            updates = (int) prog[5];
            if (prog[8] >= 0) {
                band = new ZoPenalty(prog[7], prog[8]);
            }
            bestGenotype = ck.getString("best_genotype");
        }

        private Map<String, Object> finish(Dataset train) {
            double T = temp(Math.max(0, epoch - 1));
            double[] p = arch.probabilities(theta, T);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("algo", cfg.algo());
            r.put("space", plusPlus ? "nb201-size-variable" : cfg.space());
            r.put("dataset", cfg.dataset());
            if (sv != null) {
                ZoSizeVariableArch.Derived d = sv.derive(theta, T, zo.derive(), cfg.seed());
                r.put("genotype", d.genotype());
                r.put("derive", zo.derive());
                r.put("expected_params", sv.expectedParams(theta, T));
                // The derived network itself, built and counted (the closed form d.params() must agree).
                try (Network derived = new Network(archway.spaces.nb201.SizeVariableNb201Network.discrete(d.arch(),
                        cfg.channels(), train.numClasses()), train.channels(), train.height(), train.width(), cfg.seed())) {
                    r.put("derived_params", derived.params().weightCount());
                }
                r.put("derived_params_closed_form", d.params());
                if (band != null) {
                    r.put("budget_band", List.of(band.lower(), band.upper()));
                    r.put("derived_in_band", band.contains(d.params()));
                }
            } else {
                String genotype = arch.genotype(p);
                r.put("genotype", genotype);
                r.putAll(arch.describe(p));
            }
            r.put("best_epoch", bestEpoch);
            r.put("best_val_loss", bestValLoss);
            r.put("genotype_best_val_loss", bestGenotype);
            r.put("temperature", T);
            r.put("theta", theta.clone());
            r.put("probabilities", arch.rows(p));
            r.put("search_seconds", seconds);
            r.put("supernet_params", params.weightCount());
            r.put("peak_rss_mb", PeakMemory.peakRssMb());
            dir.writeJson("result.json", r);
            return r;
        }
    }

    private static double percentile(double[] sorted, double pct) {
        double pos = pct / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    Map<String, Object> configMap() {
        Map<String, Object> m = cfg.describe();
        if (plusPlus) {
            m.put("weight_lr", 0.1);
            m.put("weight_lr_min", 0.001);
            m.put("nesterov", true);
        } else {
            m.put("weight_lr", cfg.weightLr());
            m.put("weight_lr_min", cfg.weightLrMin());
        }
        m.put("weight_momentum", cfg.weightMomentum());
        m.put("weight_decay", cfg.weightDecay());
        m.put("grad_clip", cfg.gradClip());
        m.put("arch_lr", zo.archLr());
        m.put("arch_betas", List.of(cfg.archBeta1(), cfg.archBeta2()));
        m.put("arch_weight_decay", cfg.archWeightDecay());
        m.put("simplex", sparse ? "sparsemax" : "softmax");
        if (sparse) {
            m.put("temperature", List.of(zo.t0(), zo.decay(), zo.every()));
        }
        m.put("zo_interval", zo.interval());
        m.put("zo_mu", zo.muScale());
        m.put("zo_estimator", zo.estimator().flag());
        m.put("zo_q", zo.q());
        m.put("zo_max_steps", zo.maxSteps());
        if (plusPlus) {
            m.put("expand_epoch", zo.expandEpoch());
            m.put("budget", zo.budget());
            m.put("budget_samples", zo.budgetSamples());
            m.put("derive", zo.derive());
        }
        return m;
    }

    private String configJson() {
        return RunDirectory.toJson(configMap());
    }
}
