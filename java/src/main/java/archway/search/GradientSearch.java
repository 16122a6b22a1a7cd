package archway.search;

import archway.UserError;
import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.Dataset;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.PartialChannelEdge;
import archway.optim.Sgd;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.runtime.Backends;
import archway.runtime.BufferArena;
import archway.spaces.SupernetVariant;
import archway.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient family (DARTS first order, second order, A²M) on every {@link Base}
 * (specs/darts-family.md). Per batch: the architecture step on a validation batch, then the weight step
 * on a training batch ({@link SearchStep}).
 */
final class GradientSearch implements SearchAlgorithm {
    /** Philox purpose of alpha initialisation. */
    static final int PURPOSE_ALPHA = 2;

    private final SearchConfig cfg;
    private final RunDirectory dir;
    private final SearchSpace space;
    private final Network net;
    private final SimplexMap map;
    private final MixWeights mix;
    private final Sgd sgd;
    private final BufferArena scratch;
    private final AdamState adam;
    private final double[] alpha;
    private final SearchStep step;
    private final SupernetObjective objective;

    GradientSearch(SearchConfig cfg, Dataset train, RunDirectory dir) {
        this.cfg = cfg;
        this.dir = dir;
        check(cfg);
        this.space = space(cfg);
        int rows = space.rows(), cols = space.opCount();
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.net = new Network(space.supernet(cfg.channels(), cfg.cells(), train.numClasses()),
                    train.channels(), train.height(), train.width(), cfg.seed());
            made.add(net);
            ParamStore params = net.params();
            this.map = new SimplexMap(params.backend(), SimplexMap.Kind.SOFTMAX, rows, cols);
            made.add(map);
            this.mix = mixWeights(cfg, params, space);
            SearchConfig.WeightOptimiser w = cfg.weights();
            this.sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), params.flatLength(ValueKind.WEIGHT),
                    (float) w.momentum(), (float) w.weightDecay(), w.nesterov());
            made.add(sgd);
            this.scratch = params.backend().arena();
            made.add(scratch);
        } catch (RuntimeException e) {
            throw Resources.closeAfterFailure(made, e);
        }
        this.alpha = initialAlpha(thetaSize(cfg, space), cfg.seed());
        this.adam = newAdam(cfg, alpha.length);
        this.step = new SearchStep(cfg, net, space, map, mix, sgd, adam, alpha, scratch);
        this.objective = step.objective();
    }

    /** Rejects settings this family cannot run (before the run directory is opened). */
    static void check(SearchConfig cfg) {
        if (cfg.base().partialChannel() && cfg.channels() % PartialChannelEdge.K != 0) {
            throw new UserError("base " + cfg.base().label() + " processes C/" + PartialChannelEdge.K
                    + " channels per edge: " + cfg.channels() + " channels is not a multiple of " + PartialChannelEdge.K);
        }
        if (cfg.dropNone() && cfg.space() != SpaceKind.DARTS) {
            throw new UserError("dropping the none op is an option of the darts space only (nb201 keeps its 5 ops)");
        }
        if (cfg.base().partialChannel() && cfg.space() != SpaceKind.NB201
                && cfg.pcDarts().slicing() == SupernetVariant.PartialChannels.PER_CELL) {
            throw new UserError("partial channels per cell are a variant of the nb201 cell; the darts space slices per edge");
        }
    }

    /** The search space of a run, its supernet wired for the base; "none" dropped on request (darts only). */
    static SearchSpace space(SearchConfig cfg) {
        SupernetVariant v = variant(cfg);
        return switch (cfg.space()) {
            case NB201 -> new Nb201SearchSpace(v);
            case DARTS -> new DartsSearchSpace(!cfg.dropNone(), v);
        };
    }

    /** The supernet wiring a base needs: PC-DARTS's partial channels and edge normalisation, DARTS-'s auxiliary skip. */
    static SupernetVariant variant(SearchConfig cfg) {
        boolean pc = cfg.base().partialChannel();
        return new SupernetVariant(pc ? cfg.pcDarts().slicing() : SupernetVariant.PartialChannels.NONE,
                pc && cfg.pcDarts().edgeNormalisation(), cfg.base().auxiliarySkipPath());
    }

    /** PC-DARTS edge normalisation over the space's nodes, or null when the run has none. */
    static EdgeNormalisation edgeNormalisation(SearchConfig cfg, SearchSpace space) {
        return variant(cfg).edgeNormalisation() ? new EdgeNormalisation(space.nodeInputs()) : null;
    }

    /** Length of the architecture vector: alpha (rows x ops), then one beta per edge with edge normalisation. */
    static int thetaSize(SearchConfig cfg, SearchSpace space) {
        EdgeNormalisation n = edgeNormalisation(cfg, space);
        return space.rows() * space.opCount() + (n == null ? 0 : n.size());
    }

    /** Writes the search's weights into the supernet: the mixing blocks, then the edge-normalisation blocks. */
    static MixWeights mixWeights(SearchConfig cfg, ParamStore params, SearchSpace space) {
        List<String> blocks = new ArrayList<>(space.mixBlocks());
        if (variant(cfg).edgeNormalisation()) {
            blocks.addAll(space.edgeNormBlocks());
        }
        return new MixWeights(params, blocks);
    }

    static AdamState newAdam(SearchConfig cfg, int n) {
        SearchConfig.ArchOptimiser a = cfg.arch();
        return new AdamState(n, a.lr(), a.beta1(), a.beta2(), 1e-8, a.weightDecay());
    }

    /** Initial architecture parameters: 1e-3 * N(0, 1) from Philox (seed, PURPOSE_ALPHA, step key). */
    static double[] initialAlpha(int n, long seed) {
        return noise(n, seed, 0);
    }

    /** 1e-3 * N(0, 1) from Philox (seed, PURPOSE_ALPHA, {@code key}). */
    static double[] noise(int n, long seed, int key) {
        float[] s = Backends.standard().normalToHost(n, seed, PURPOSE_ALPHA, key);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1e-3 * s[i];
        }
        return out;
    }

    @Override
    public Network network() { return net; }

    @Override
    public void describe(Map<String, Object> m) {
        m.put("arch_lr", cfg.arch().lr());
        if (cfg.algo() == Algorithm.A2M) {
            m.put("rho", cfg.a2m().rho());
            m.put("a2m_eps", cfg.a2m().eps());
            m.put("a2m_normalised", cfg.a2m().normalised());
        }
        if (cfg.base() == Base.BETA_DARTS) {
            m.put("beta_lambda_rate", cfg.betaLambdaRate());
        }
        if (cfg.dropNone()) {
            m.put("drop_none", true);
        }
        if (cfg.base().partialChannel()) {
            m.put("partial_channels", cfg.pcDarts().slicing().label());
            m.put("edge_norm", cfg.pcDarts().edgeNormalisation());
        }
        if (cfg.base().auxiliarySkipPath()) {
            // Recorded so a checkpoint of the earlier wiring (beta on the skip op) is refused on --resume.
            m.put("auxiliary_skip", cfg.space() == SpaceKind.NB201 ? "cell input" : "own path, own FactorizedReduce on reduction edges");
        }
    }

    @Override
    public void beginEpoch(int epoch) {
        objective.betaLambda(cfg.base().regulariserWeight(cfg.betaLambdaRate(), epoch));
        step.auxiliarySkip(epoch);
    }

    @Override
    public int steps(BatchLoader train, BatchLoader val) {
        return Math.min(train.stepsPerEpoch(), val.stepsPerEpoch());
    }

    @Override
    public EpochSteps epoch(int epoch, float lr, int steps, BatchLoader trainLoader, BatchLoader valLoader, Progress bar) {
        long archNanos = 0, weightNanos = 0;
        double trainLoss = 0, valLoss = 0;
        long trainHits = 0, valHits = 0;
        for (int s = 0; s < steps; s++) {
            long a0 = System.nanoTime();
            long archEnd;
            try (Batch vb = valLoader.next(); Batch tb = trainLoader.next()) {
                step.arch(vb.images(), vb.labels(), tb.images(), tb.labels(), lr);
                valLoss += objective.firstLoss();
                valHits += objective.firstCorrect();
                archEnd = System.nanoTime();
                archNanos += archEnd - a0;
                // Weight step on the training batch with the (possibly perturbed) mixing weights.
                step.prepareWeight(tb.images(), tb.labels(), epoch, s);
            }
            float loss = step.weightForward();
            if (!Float.isFinite(loss)) {
                throw new TrainingDivergedException("search loss became " + loss + " at epoch " + (epoch + 1)
                        + ", step " + (s + 1) + "; stopped. Last checkpoint: " + dir.checkpoint());
            }
            step.weightUpdate(lr);
            weightNanos += System.nanoTime() - archEnd;
            trainLoss += loss;
            trainHits += step.weightCorrect();
            if ((s + 1) % 5 == 0 || s + 1 == steps) {
                bar.update(s + 1, String.format("train %.3f val %.3f", trainLoss / (s + 1), valLoss / (s + 1)));
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("arch_val_loss", valLoss / steps);
        f.put("arch_val_accuracy", 100.0 * valHits / ((long) steps * cfg.batch()));
        f.put("arch_step_seconds", archNanos / 1e9);
        f.put("weight_step_seconds", weightNanos / 1e9);
        long images = (long) steps * cfg.batch();
        return new EpochSteps(steps, trainLoss, trainHits, images, 2 * images, f);
    }

    @Override
    public void showArchitecture() {
        step.showArchitecture();
    }

    private double[] probabilities() {
        return Arrays.copyOf(objective.mixingWeights(alpha), space.rows() * space.opCount());
    }

    /** PC-DARTS edge weights softmax(beta) per node, or null without edge normalisation. */
    private double[] edgeWeights() {
        int n = space.rows() * space.opCount();
        return alpha.length == n ? null : Arrays.copyOfRange(objective.mixingWeights(alpha), n, alpha.length);
    }

    @Override
    public String genotype() {
        return space.genotype(probabilities(), edgeWeights());
    }

    @Override
    public void describeEpoch(Map<String, Object> m) {
        m.putAll(space.describe(genotype()));
        m.put("probabilities", rowsOf(probabilities()));
        double[] w = edgeWeights();
        if (w != null) {
            m.put("edge_weights", Arrays.stream(w).boxed().toList());
        }
    }

    @Override
    public String logSuffix() { return ""; }

    @Override
    public void save(Checkpoint ck) {
        var p = net.params();
        ck.putFloats("weights", p.weights(), p.flatLength(ValueKind.WEIGHT))
                .putFloats("state", p.state(), p.flatLength(ValueKind.STATE))
                .putFloats("sgd.momentum", sgd.state(), sgd.size())
                .putDoubles("alpha", alpha)
                .putDoubles("adam.m", adam.m())
                .putDoubles("adam.v", adam.v())
                .putDoubles("adam.steps", new double[] {adam.steps()});
    }

    @Override
    public void restore(Checkpoint ck) {
        var p = net.params();
        ck.getFloats("weights", p.weights(), p.flatLength(ValueKind.WEIGHT));
        ck.getFloats("state", p.state(), p.flatLength(ValueKind.STATE));
        ck.getFloats("sgd.momentum", sgd.state(), sgd.size());
        System.arraycopy(ck.getDoubles("alpha", alpha.length), 0, alpha, 0, alpha.length);
        adam.restore(ck.getDoubles("adam.m", alpha.length), ck.getDoubles("adam.v", alpha.length),
                (int) ck.getDoubles("adam.steps", 1)[0]);
    }

    @Override
    public void finish(Map<String, Object> r, Dataset train, RunDirectory dir, PrintStream log) {
        r.put("base", cfg.base().label());
        r.putAll(space.describe(genotype()));
        String best = (String) r.get("genotype_best_val_loss");
        space.describe(best.isEmpty() ? genotype() : best).forEach((k, v) -> r.put("best_" + k, v));
        r.put("alpha", rowsOf(Arrays.copyOf(alpha, space.rows() * space.opCount())));
        r.put("probabilities", rowsOf(probabilities()));
        double[] w = edgeWeights();
        if (w != null) {
            r.put("edge_beta", Arrays.stream(alpha, alpha.length - w.length, alpha.length).boxed().toList());
            r.put("edge_weights", Arrays.stream(w).boxed().toList());
        }
        List<double[]> history = new ArrayList<>();
        for (Map<String, Object> m : dir.readMetrics()) {
            history.add(toDoubles(m.get("probabilities")));
        }
        // The picture is a convenience: result.json (written next) must survive its failure, including a
        // Java runtime without java.desktop (a jlink-ed image; the GPU check's runtime is one).
        try {
            AlphaHeatmap.write(dir.file("alpha-heatmap.png"), space, history);
        } catch (IOException | RuntimeException | LinkageError e) {
            log.println("note: could not draw the alpha heatmap: "
                    + (e instanceof LinkageError ? "this Java runtime has no java.desktop module (" + e.getMessage() + ")"
                    : e.getMessage()));
        }
    }

    private List<List<Double>> rowsOf(double[] v) {
        return ZoArch.rowsOf(v, space.opCount());
    }

    @SuppressWarnings("unchecked")
    private static double[] toDoubles(Object rows) {
        List<List<Number>> r = (List<List<Number>>) rows;
        return r.stream().flatMap(List::stream).mapToDouble(Number::doubleValue).toArray();
    }

    @Override
    public void close() {
        step.close();
        scratch.close();
        sgd.close();
        map.close();
        net.close();
    }
}
