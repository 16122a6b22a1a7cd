package archway.search;

import archway.UserError;
import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.Dataset;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.optim.GradientClip;
import archway.optim.Sgd;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;
import archway.spaces.nb201.SizeVariableNb201Network;
import archway.train.TrainingDivergedException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zeroth-order family (specs/zo-darts.md): {@code zo-darts} (softmax), {@code zo-darts-plus}
 * (sparsemax with an annealed temperature, zero-weight candidates skipped) and {@code zo-darts-pp}
 * (size-variable NB201 with kernel and depth parameters and a parameter-count band).
 *
 * <p>Every R weight steps one architecture update (a last partial window of an epoch makes none, as in
 * the reference). With the one-sided estimator a perturbed twin (w~ starts equal to w, theta + mu z) takes
 * the same R SGD steps on the same training batches as the main weights; the twin is a second flat weight
 * buffer (and its own momentum buffer) swapped into the parameter store around its steps, so both run the
 * same plans and nothing is copied but flat spans. Windows restart at every epoch, so a checkpoint at an
 * epoch end holds no twin and resume is exact (directions are Philox draws keyed by seed and update index).
 */
final class ZoSearchAlgorithm implements SearchAlgorithm {
    private final SearchConfig cfg;
    private final ZoConfig zo;
    private final RunDirectory dir;
    private final PrintStream log;
    private final boolean sparse;
    private final ZoArch arch;
    private final ZoSizeVariableArch sv;
    private final Network net;
    private final BufferArena scratch;
    private final Sgd sgd, twinSgd;
    private final MixWeights mix;
    private final ParamStore params;
    private final long wn, sn;
    private final Buffer twin, stash, stateStash;
    private final FlatOps flat;
    private final Pass weightPass;
    private final ZoTemperature temperature;
    private double[] theta;
    private AdamState adam;
    private ZoPenalty band;
    private int epoch;
    private int updates;

    /** Rejects settings this family cannot run (before the run directory is opened). */
    static void check(SearchConfig cfg) {
        if (cfg.space() != SpaceKind.NB201) {
            throw new UserError("algorithm " + cfg.algo().label() + " searches the nb201 space (zo-darts-pp: its size-variable form)");
        }
        if (cfg.base() != Base.DARTS) {
            throw new UserError("algorithm " + cfg.algo().label() + " has no base variants");
        }
    }

    ZoSearchAlgorithm(SearchConfig cfg, Dataset train, RunDirectory dir, PrintStream log) {
        check(cfg);
        this.cfg = cfg;
        this.zo = cfg.zo();
        this.dir = dir;
        this.log = log;
        this.sparse = cfg.algo() != Algorithm.ZO_DARTS;
        this.temperature = new ZoTemperature(zo.t0(), zo.decay(), zo.every());
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.arch = cfg.algo() == Algorithm.ZO_DARTS_PP
                    ? new ZoSizeVariableArch(cfg.channels(), cfg.cells(), train.numClasses(), train.channels())
                    : new ZoNb201Arch(sparse ? SimplexMap.Kind.SPARSEMAX : SimplexMap.Kind.SOFTMAX, cfg.channels(),
                            cfg.cells(), train.numClasses());
            made.add(arch);
            this.net = new Network(arch.supernet(), train.channels(), train.height(), train.width(), cfg.seed())
                    .sparseMix(sparse);
            made.add(net);
            this.scratch = net.params().backend().arena();
            made.add(scratch);
            this.params = net.params();
            this.wn = params.flatLength(ValueKind.WEIGHT);
            this.sn = params.flatLength(ValueKind.STATE);
            SearchConfig.WeightOptimiser w = cfg.weights();
            this.sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), wn, (float) w.momentum(),
                    (float) w.weightDecay(), w.nesterov());
            made.add(sgd);
            this.twinSgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), wn, (float) w.momentum(),
                    (float) w.weightDecay(), w.nesterov());
            made.add(twinSgd);
        } catch (RuntimeException e) {
            throw Resources.closeAfterFailure(made, e);
        }
        this.sv = arch instanceof ZoSizeVariableArch s ? s : null;
        this.mix = new MixWeights(params, arch.mixBlocks());
        boolean oneSided = zo.estimator() == ZoConfig.Estimator.ONE_SIDED;
        this.twin = oneSided ? scratch.allocate(Math.max(wn, 1)) : null;
        this.stash = oneSided ? scratch.allocate(Math.max(wn, 1)) : null;
        this.stateStash = oneSided ? scratch.allocate(Math.max(sn, 1)) : null;
        this.flat = params.flat();
        this.weightPass = net.pass(cfg.batch(), Mode.TRAIN, ValueKind.WEIGHT);
        this.theta = GradientSearch.noise(arch.size(), cfg.seed(), 0);
        this.adam = newAdam(theta.length);
        if (sv != null && zo.budget() instanceof ZoConfig.Budget.Band b) {
            band = new ZoPenalty(b.lower(), b.upper());
        }
    }

    private AdamState newAdam(int n) {
        return new AdamState(n, zo.archLr(), cfg.arch().beta1(), cfg.arch().beta2(), 1e-8, cfg.arch().weightDecay());
    }

    private double temp(int e) {
        return sparse ? temperature.at(e) : 1.0;
    }

    @Override
    public Network network() { return net; }

    @Override
    public void describe(Map<String, Object> m) {
        m.put("arch_lr", zo.archLr());
        m.put("simplex", sparse ? "sparsemax" : "softmax");
        if (sparse) {
            m.put("temperature", List.of(zo.t0(), zo.decay(), zo.every()));
        }
        m.put("zo_interval", zo.interval());
        m.put("zo_mu", zo.muScale());
        m.put("zo_estimator", zo.estimator().label());
        m.put("zo_q", zo.q());
        m.put("zo_max_steps", zo.maxSteps());
        if (sv != null) {
            m.put("expand_epoch", zo.expandEpoch());
            m.put("budget", zo.budget().label());
            m.put("budget_samples", zo.budgetSamples());
            m.put("derive", zo.derive().label());
        }
    }

    @Override
    public void beginEpoch(int e) {
        this.epoch = e;
        if (sv != null && !sv.expanded() && e >= zo.expandEpoch()) {
            expand();
        }
    }

    /** ZO-DARTS++ at the expansion epoch: kernel crops, beta and gamma join theta; Adam is rebuilt over all of it. */
    private void expand() {
        int before = theta.length;
        sv.expand();
        double[] grown = java.util.Arrays.copyOf(theta, sv.size());
        double[] extra = GradientSearch.noise(sv.size() - before, cfg.seed(), 1);
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
     * (no penalty before the expansion epoch) and beta, gamma are freshly initialised (near-uniform), so the
     * samples span the kernel and depth choices of the architectures that phase favours.
     */
    private ZoPenalty presetBand() {
        if (!(zo.budget() instanceof ZoConfig.Budget.Preset preset)) {
            return null;
        }
        double[] counts = sv.sampleCounts(theta, temp(epoch), zo.budgetSamples(), cfg.seed());
        java.util.Arrays.sort(counts);
        double lowPct = preset.size().lowerPercentile();
        return new ZoPenalty(lowPct < 0 ? 0 : percentile(counts, lowPct),
                percentile(counts, preset.size().upperPercentile()));
    }

    private static double percentile(double[] sorted, double pct) {
        double pos = pct / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    @Override
    public int steps(BatchLoader train, BatchLoader val) {
        int steps = zo.maxSteps() > 0 ? Math.min(zo.maxSteps(), train.stepsPerEpoch()) : train.stepsPerEpoch();
        int windows = steps / zo.interval();
        if (val.stepsPerEpoch() < windows) {
            throw new UserError("the validation half has " + val.stepsPerEpoch() + " batches per epoch but "
                    + windows + " architecture updates need one each; use a longer update interval or a smaller batch");
        }
        return steps;
    }

    @Override
    public EpochSteps epoch(int e, float lr, int steps, BatchLoader trainLoader, BatchLoader valLoader, Progress bar) {
        long archNanos = 0, weightNanos = 0, twinNanos = 0;
        double T = temp(e);
        boolean oneSided = zo.estimator() == ZoConfig.Estimator.ONE_SIDED;
        double trainLoss = 0, valLoss = 0, penaltySum = 0;
        long trainHits = 0, valHits = 0;
        int updatesThisEpoch = 0;
        double[] z = null, plus = null;
        double mu = 0;
        for (int step = 0; step < steps; step++) {
            if (step % zo.interval() == 0 && oneSided) {
                z = ZoDirection.unit(theta.length, cfg.seed(), updates);
                mu = mu();
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
            // Only complete windows update the architecture (a last partial window is dropped, as in the reference).
            if ((step + 1) % zo.interval() == 0) {
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
        double[] m0 = arch.mixing(theta, T);
        int zeros = 0;
        for (double v : m0) {
            zeros += v == 0 ? 1 : 0;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("temperature", T);
        f.put("arch_val_loss", updatesThisEpoch > 0 ? valLoss / updatesThisEpoch : null);
        f.put("arch_val_accuracy", updatesThisEpoch > 0 ? 100.0 * valHits / ((long) updatesThisEpoch * cfg.batch()) : null);
        f.put("arch_updates", updatesThisEpoch);
        if (sv != null) {
            f.put("penalty", updatesThisEpoch > 0 ? penaltySum / updatesThisEpoch : 0.0);
        }
        f.put("zero_mixing_weights", zeros);
        f.put("mixing_weights", m0.length);
        f.put("arch_step_seconds", archNanos / 1e9);
        f.put("weight_step_seconds", weightNanos / 1e9);
        f.put("twin_step_seconds", twinNanos / 1e9);
        long images = (long) steps * cfg.batch();
        // Every image the epoch read: each training batch once (main and twin reuse it) plus the validation batches.
        return new EpochSteps(steps, trainLoss, trainHits, images, images + (long) updatesThisEpoch * cfg.batch(), f);
    }

    /** mu = scale * ||alpha|| (the op parameters only, as the reference; not beta or gamma). */
    private double mu() {
        return ZoEstimator.mu(zo.muScale(), java.util.Arrays.copyOf(theta, arch.alphaSize()));
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
        GradientClip.clip(params.flat(), params.weightGrads(), wn, cfg.weights().gradClip());
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
        double pen = addPenalty(g, T, List.of(z), 1);
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
        double mu = mu();
        double[] g = new double[theta.length];
        double[] shifted = new double[theta.length];
        List<double[]> directions = new ArrayList<>();
        for (int j = 0; j < zo.q(); j++) {
            double[] z = ZoDirection.unit(theta.length, cfg.seed(), updates * zo.q() + j);
            directions.add(z);
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
        double pen = addPenalty(g, T, directions, zo.q());
        adam.step(theta, g);
        return new double[] {loss, correct, pen};
    }

    private void checkArch(float loss) {
        if (!Float.isFinite(loss)) {
            throw new TrainingDivergedException("architecture loss became " + loss + " at epoch " + (epoch + 1));
        }
    }

    /**
     * ZO-DARTS++ after expansion: adds the penalty's gradient as the estimator sees it, projected on the
     * directions (1/q sum_j (z_j . grad_pen) z_j, as the reference does); returns the penalty's value.
     */
    private double addPenalty(double[] g, double T, List<double[]> directions, int q) {
        if (sv == null || !sv.expanded() || band == null) {
            return 0;
        }
        double p = sv.expectedParams(theta, T);
        double slope = band.slope(p, T);
        if (slope != 0) {
            double[] dp = sv.expectedParamsGrad(theta, T);
            ZoEstimator.addProjected(g, directions, dp, slope / q);
        }
        return band.value(p, T);
    }

    @Override
    public void showArchitecture() {
        mix.write(arch.mixing(theta, temp(epoch)));
    }

    @Override
    public String genotype() {
        return arch.genotype(arch.probabilities(theta, temp(epoch)));
    }

    @Override
    public void describeEpoch(Map<String, Object> m) {
        double T = temp(epoch);
        double[] p = arch.probabilities(theta, T);
        m.putAll(arch.describe(p));
        if (sv != null) {
            m.put("expanded", sv.expanded());
            m.put("expected_params", sv.expectedParams(theta, T));
            if (band != null) {
                m.put("budget_band", List.of(band.lower(), band.upper()));
            }
        }
        m.put("probabilities", arch.rows(p));
    }

    @Override
    public String logSuffix() {
        double[] m0 = arch.mixing(theta, temp(epoch));
        int zeros = 0;
        for (double v : m0) {
            zeros += v == 0 ? 1 : 0;
        }
        return String.format("  T %.3f  zeros %d/%d", temp(epoch), zeros, m0.length);
    }

    @Override
    public void save(Checkpoint ck) {
        ck.putFloats("weights", params.weights(), wn)
                .putFloats("state", params.state(), sn)
                .putFloats("sgd.momentum", sgd.state(), sgd.size())
                .putDoubles("theta", theta)
                .putDoubles("adam.m", adam.m())
                .putDoubles("adam.v", adam.v())
                .putDoubles("adam.steps", new double[] {adam.steps()})
                .putDoubles("zo.updates", new double[] {updates})
                .putDoubles("zo.band", band == null ? new double[] {-1, -1} : new double[] {band.lower(), band.upper()});
    }

    @Override
    public void restore(Checkpoint ck) {
        int n = ck.get("theta").length / Double.BYTES;
        if (sv != null && n != theta.length) {
            sv.expand();
        }
        theta = ck.getDoubles("theta", n);
        adam = newAdam(theta.length);
        adam.restore(ck.getDoubles("adam.m", theta.length), ck.getDoubles("adam.v", theta.length),
                (int) ck.getDoubles("adam.steps", 1)[0]);
        ck.getFloats("weights", params.weights(), wn);
        ck.getFloats("state", params.state(), sn);
        ck.getFloats("sgd.momentum", sgd.state(), sgd.size());
        updates = (int) ck.getDoubles("zo.updates", 1)[0];
        // The temperature epoch until beginEpoch names the next one: the last, for a run resumed after its end.
        epoch = cfg.epochs() - 1;
        double[] b = ck.getDoubles("zo.band", 2);
        band = b[1] >= 0 ? new ZoPenalty(b[0], b[1]) : null;
    }

    @Override
    public void finish(Map<String, Object> r, Dataset train, RunDirectory dir, PrintStream log) {
        double T = temp(epoch);
        double[] p = arch.probabilities(theta, T);
        if (sv != null) {
            r.put("space", "nb201-size-variable");
            ZoSizeVariableArch.Derived d = derive(T);
            r.put("genotype", d.genotype());
            r.put("derive", zo.derive().label());
            r.put("expected_params", sv.expectedParams(theta, T));
            // The derived network itself, built and counted (the closed form d.params() must agree).
            try (Network derived = new Network(SizeVariableNb201Network.discrete(d.arch(), cfg.channels(),
                    train.numClasses()), train.channels(), train.height(), train.width(), cfg.seed())) {
                r.put("derived_params", derived.params().weightCount());
            }
            r.put("derived_params_closed_form", d.params());
            if (band != null) {
                r.put("budget_band", List.of(band.lower(), band.upper()));
                r.put("derived_in_band", band.contains(d.params()));
                if (!band.contains(d.params())) {
                    log.printf("note: no architecture of this space has a parameter count in [%.0f, %.0f]; delivered "
                            + "the %s architecture with %d parameters%n", band.lower(), band.upper(), zo.derive().label(),
                            d.params());
                }
            }
        } else {
            r.putAll(arch.describe(p));
        }
        r.put("temperature", T);
        r.put("theta", theta.clone());
        r.put("probabilities", arch.rows(p));
    }

    /**
     * The delivered ZO-DARTS++ network: argmax or a sample; under a band, the most probable architecture
     * whose exact count is inside it when the argmax (or the sample) is not.
     */
    private ZoSizeVariableArch.Derived derive(double T) {
        ZoSizeVariableArch.Derived d = sv.derive(theta, T, zo.derive(), cfg.seed());
        if (band == null || band.contains(d.params())) {
            return d;
        }
        ZoSizeVariableArch.Derived inBand = sv.mostProbableInBand(theta, T, band.lower(), band.upper());
        return inBand != null ? inBand : d;
    }

    @Override
    public void close() {
        twinSgd.close();
        sgd.close();
        scratch.close();
        net.close();
        arch.close();
    }
}
