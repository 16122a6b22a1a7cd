package archway.search;

import archway.graph.Mode;
import archway.graph.Plan;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.optim.GradientClip;
import archway.optim.Sgd;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;
import archway.spaces.SupernetVariant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One search step of the gradient family ({@link GradientSearch}) on one (validation, training) batch pair: the architecture
 * step ({@link #arch}: darts / darts2 / a2m gradient on the validation batch, Adam on alpha), then the
 * weight step ({@link #prepareWeight}, {@link #weightForward}, {@link #weightUpdate}: forward, backward,
 * gradient clipping, SGD on the training batch). The search runs it once per batch; the benchmark
 * harness ({@code nas bench step}) runs it on random data through {@link #standalone}.
 *
 * <p>The step keeps cumulative timers (nanoseconds) of its arch step, weight step and optimiser
 * updates; forward/backward time is kept by each pass's {@link Plan}.
 */
public final class SearchStep implements AutoCloseable {

    private final SearchConfig cfg;
    private final Network net;
    private final SearchSpace space;
    private final SimplexMap map;
    private final MixWeights mix;
    private final Sgd sgd;
    private final AdamState adam;
    private final double[] alpha;
    private final Pass weightPass, archPass;
    private final SupernetObjective objective;
    private final long wn;
    private final Buffer backup, vbuf;
    private final FlatOps flat;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private Pass bothPass;
    private long archNanos, weightNanos, optimizerNanos;

    SearchStep(SearchConfig cfg, Network net, SearchSpace space, SimplexMap map, MixWeights mix, Sgd sgd,
               AdamState adam, double[] alpha, BufferArena scratch) {
        this.cfg = cfg;
        this.net = net;
        this.space = space;
        this.map = map;
        this.mix = mix;
        this.sgd = sgd;
        this.adam = adam;
        this.alpha = alpha;
        this.weightPass = net.pass(cfg.batch(), Mode.TRAIN, ValueKind.WEIGHT);
        this.archPass = net.pass(cfg.batch(), Mode.TRAIN, ValueKind.MIX);
        this.objective = new SupernetObjective(archPass, mix, map, space.rows(), space.opCount(),
                space.mixBlocks().size()).edgeNormalisation(GradientSearch.edgeNormalisation(cfg, space));
        this.wn = net.params().flatLength(ValueKind.WEIGHT);
        boolean second = cfg.algo() == Algorithm.DARTS2;
        this.backup = second ? scratch.allocate(wn) : null;
        this.vbuf = second ? scratch.allocate(wn) : null;
        this.flat = net.params().flat();
    }

    /**
     * A step that owns its supernet, optimisers and buffers (closed with the step), set up exactly as
     * {@link GradientSearch} sets up a fresh run (same seed, alpha initialisation and hyper-parameters)
     * for inputs of {@code inChannels x height x width} and {@code classes} classes.
     */
    public static SearchStep standalone(SearchConfig cfg, int inChannels, int height, int width, int classes) {
        return standalone(cfg, inChannels, height, width, classes, SimplexMap.Kind.SOFTMAX, 1.0);
    }

    /**
     * Like {@link #standalone(SearchConfig, int, int, int, int)} with mixing weights map(alpha / T):
     * SPARSEMAX gives exact zeros, whose candidate ops the plans then skip (the ZO-DARTS+ saving).
     */
    public static SearchStep standalone(SearchConfig cfg, int inChannels, int height, int width, int classes,
                                        SimplexMap.Kind simplex, double temperature) {
        Backends.standard().threads(cfg.threads());
        if (cfg.algo().zerothOrder()) {
            throw new IllegalArgumentException("a search step runs the gradient family, not " + cfg.algo().label());
        }
        SearchSpace space = GradientSearch.space(cfg);
        int rows = space.rows(), cols = space.opCount();
        List<AutoCloseable> res = new ArrayList<>();
        try {
            Network net = new Network(space.supernet(cfg.channels(), cfg.cells(), classes), inChannels, height, width,
                    cfg.seed()).sparseMix(simplex == SimplexMap.Kind.SPARSEMAX);
            res.add(net);
            SimplexMap map = new SimplexMap(net.params().backend(), simplex, rows, cols);
            res.add(map);
            var params = net.params();
            long wn = params.flatLength(ValueKind.WEIGHT);
            MixWeights mix = GradientSearch.mixWeights(cfg, params, space);
            Sgd sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), wn,
                    (float) cfg.weights().momentum(), (float) cfg.weights().weightDecay(), cfg.weights().nesterov());
            res.add(sgd);
            BufferArena scratch = params.backend().arena();
            res.add(scratch);
            double[] alpha = GradientSearch.initialAlpha(GradientSearch.thetaSize(cfg, space), cfg.seed());
            AdamState adam = GradientSearch.newAdam(cfg, alpha.length);
            SearchStep s = new SearchStep(cfg, net, space, map, mix, sgd, adam, alpha, scratch);
            s.objective.temperature(temperature);
            s.auxiliarySkip(0);
            // Close in reverse order of creation.
            for (int i = res.size() - 1; i >= 0; i--) {
                s.owned.add(res.get(i));
            }
            return s;
        } catch (RuntimeException e) {
            throw Resources.closeAfterFailure(res, e);
        }
    }

    SupernetObjective objective() { return objective; }

    public Network network() { return net; }

    /** The weights' SGD (its momentum buffer enters the unrolled second-order step). */
    Sgd weightOptimiser() { return sgd; }

    /** The mixing weights map(alpha / T) of the current alpha (no perturbation; PC-DARTS edge weights left out). */
    public double[] mixingWeights() {
        return java.util.Arrays.copyOf(objective.mixingWeights(alpha), space.rows() * space.opCount());
    }

    /** The current architecture parameters alpha, then PC-DARTS's beta (updated in place by {@link #arch}). */
    public double[] alpha() { return alpha; }

    /** Writes DARTS-'s auxiliary skip weight of {@code epoch} into the supernet (nothing for the other bases). */
    void auxiliarySkip(int epoch) {
        if (cfg.base().auxiliarySkipPath()) {
            var params = net.params();
            params.mix().set(params.entry(SupernetVariant.AUX_SKIP).offset(),
                    (float) cfg.base().auxiliarySkip(epoch, cfg.epochs()));
        }
    }

    /**
     * The architecture step on the validation batch (valImages / valLabels): the algorithm's gradient
     * of the validation loss w.r.t. alpha, then Adam. darts2 also reads the training batch; {@code lr}
     * is the weight learning rate (the unrolled step's xi).
     */
    public void arch(Buffer valImages, Buffer valLabels, Buffer trainImages,
                     Buffer trainLabels, float lr) {
        long t0 = System.nanoTime();
        double[] g = archGradient(valImages, valLabels, trainImages, trainLabels, lr);
        long t1 = System.nanoTime();
        adam.step(alpha, g);
        long t2 = System.nanoTime();
        optimizerNanos += t2 - t1;
        archNanos += t2 - t0;
    }

    /** The architecture gradient {@link #arch} applies (no optimiser step; alpha unchanged). */
    double[] archGradient(Buffer valImages, Buffer valLabels, Buffer trainImages,
                          Buffer trainLabels, float lr) {
        objective.load(valImages, valLabels);
        return switch (cfg.algo()) {
            case DARTS -> objective.at(alpha);
            case A2M -> A2m.gradient(objective, alpha, cfg.a2m().rho(), cfg.a2m().eps(), cfg.a2m().normalised());
            case DARTS2 -> secondOrder(trainImages, trainLabels, lr);
            case ZO_DARTS, ZO_DARTS_PLUS, ZO_DARTS_PP -> throw new IllegalStateException(cfg.algo().label());
        };
    }

    /** Writes the mixing (and edge) weights of the current alpha (no perturbation) into the network. */
    void showArchitecture() {
        objective.applyAlpha(alpha);
    }

    /** Validation loss / hits of the last {@link #arch} (at the unperturbed alpha). */
    public double archLoss() { return objective.firstLoss(); }

    public int archCorrect() { return objective.firstCorrect(); }

    /**
     * Writes the mixing weights for the weight step (SDARTS-RS: randomly perturbed) and loads the
     * training batch into the weight pass; {@code epoch} and {@code step} key the perturbation.
     */
    public void prepareWeight(Buffer trainImages, Buffer trainLabels, int epoch, int step) {
        long t0 = System.nanoTime();
        double[] p = objective.applyAlpha(alpha);
        double e = cfg.base().perturbation(epoch, cfg.epochs());
        if (e > 0) {
            mix.write(perturb(p, e, epoch, step));
        }
        weightPass.load(trainImages, trainLabels);
        weightNanos += System.nanoTime() - t0;
    }

    /** Forward of the weight step; returns the training loss. */
    public float weightForward() {
        long t0 = System.nanoTime();
        weightPass.forward();
        float loss = weightPass.loss();
        weightNanos += System.nanoTime() - t0;
        return loss;
    }

    public int weightCorrect() { return weightPass.correct(); }

    /** Backward of the weight step, gradient clipping and the SGD update with learning rate lr. */
    public void weightUpdate(float lr) {
        long t0 = System.nanoTime();
        weightPass.backward();
        long t1 = System.nanoTime();
        GradientClip.clip(net.params().flat(), net.params().weightGrads(), wn, cfg.weights().gradClip());
        sgd.step(lr);
        long t2 = System.nanoTime();
        optimizerNanos += t2 - t1;
        weightNanos += t2 - t0;
    }

    /** Unrolled second-order DARTS gradient (specs/darts-family.md), flat weight buffers swapped in place. */
    private double[] secondOrder(Buffer trainImages, Buffer trainLabels, float xi) {
        var params = net.params();
        Buffer w = params.weights(), g = params.weightGrads();
        double[] p = objective.applyAlpha(alpha);
        flat.copy(w, backup, wn);
        // w' = w - xi * (mu * buf + grad_w L_train(w, alpha) + wd * w): the step the weight optimiser would
        // take next (its momentum buffer and weight decay included), as the DARTS and AsquaredM code unroll it.
        weightPass.load(trainImages, trainLabels);
        weightPass.forward();
        weightPass.backward();
        SearchConfig.WeightOptimiser opt = cfg.weights();
        flat.scale(w, wn, (float) (1 - xi * opt.weightDecay()));
        flat.axpy(-xi, g, w, wn);
        flat.axpy((float) (-xi * opt.momentum()), sgd.state(), w, wn);
        // grad_alpha L_val(w', alpha) and v = grad_w' L_val(w', alpha), in one backward (val batch loaded).
        Pass both = bothPass();
        both.load(archPass.images(), archPass.labels());
        both.forward();
        objective.recordFirst(both.loss(), both.correct());
        both.backward();
        double[] dpVal = mix.readGrad();
        flat.copy(g, vbuf, wn);
        double vnorm = Math.sqrt(flat.sumsq(vbuf, wn));
        double eps = 0.01 / Math.max(vnorm, 1e-12);
        // Hessian-vector product by central differences of grad_alpha L_train at w +- eps v.
        Pass arch = objective.pass();
        double[] gp = trainAlphaGrad(arch, trainImages, trainLabels, w, eps);
        double[] gm = trainAlphaGrad(arch, trainImages, trainLabels, w, -eps);
        flat.copy(backup, w, wn);
        double[] dp = new double[dpVal.length];
        for (int i = 0; i < dp.length; i++) {
            dp[i] = dpVal[i] - xi * (gp[i] - gm[i]) / (2 * eps);
        }
        double[] grad = objective.backward(p, dp, 1);
        objective.addRegulariser(alpha, grad);
        return grad;
    }

    private Pass bothPass() {
        if (bothPass == null) {
            bothPass = net.pass(cfg.batch(), Mode.TRAIN, EnumSet.of(ValueKind.WEIGHT, ValueKind.MIX));
        }
        return bothPass;
    }

    private double[] trainAlphaGrad(Pass arch, Buffer trainImages, Buffer trainLabels, Buffer w,
                                    double eps) {
        flat.copy(backup, w, wn);
        flat.axpy((float) eps, vbuf, w, wn);
        arch.load(trainImages, trainLabels);
        arch.forward();
        arch.backward();
        return mix.readGrad();
    }

    private double[] perturb(double[] p, double e, int epoch, int step) {
        SplittableRandom rnd = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + (long) epoch * 1_000_003L + step);
        int cols = space.opCount();
        double[] out = p.clone(); // PC-DARTS edge weights (after the rows) are not perturbed
        for (int r = 0; r < space.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = Math.max(0, Math.min(1, p[r * cols + c] + (rnd.nextDouble() * 2 - 1) * e));
                out[r * cols + c] = v;
                sum += v;
            }
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = sum > 0 ? out[r * cols + c] / sum : 1.0 / cols;
            }
        }
        return out;
    }

    /** The distinct plans this step runs (weight, arch and, for darts2, the joint pass once used). */
    public List<Plan> plans() {
        List<Plan> out = new ArrayList<>(List.of(weightPass.plan(), archPass.plan()));
        if (bothPass != null) {
            out.add(bothPass.plan());
        }
        return out;
    }

    /** Forward nanoseconds summed over {@link #plans()} since their last reset. */
    public long forwardNanos() {
        long s = 0;
        for (Plan p : plans()) {
            s += p.forwardNanos();
        }
        return s;
    }

    public long backwardNanos() {
        long s = 0;
        for (Plan p : plans()) {
            s += p.backwardNanos();
        }
        return s;
    }

    /** Nanoseconds in {@link #arch} (gradient + Adam). */
    public long archNanos() { return archNanos; }

    /** Nanoseconds in the weight step (prepare, forward, backward, clip, SGD). */
    public long weightNanos() { return weightNanos; }

    /** Nanoseconds in the optimiser updates (Adam on alpha, gradient clipping + SGD on the weights). */
    public long optimizerNanos() { return optimizerNanos; }

    /** Resets this step's timers and those of its plans. */
    public void resetTimers() {
        archNanos = weightNanos = optimizerNanos = 0;
        for (Plan p : plans()) {
            p.resetTimers();
        }
    }

    /** Closes what {@link #standalone} created; nothing for a step made by GradientSearch. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new RuntimeException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (first != null) {
            throw first;
        }
    }
}
