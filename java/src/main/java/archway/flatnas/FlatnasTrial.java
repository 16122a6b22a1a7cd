package archway.flatnas;

import archway.data.Augmentation;
import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.EvalBatches;
import archway.data.Subsets;
import archway.data.corrupt.Corruption;
import archway.data.corrupt.CorruptionErrors;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.optim.CosineSchedule;
import archway.optim.Sam;
import archway.optim.Sgd;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.spaces.mbv3.Mbv3Network;
import archway.train.Evaluator;
import archway.train.Flatness;
import archway.train.TrainingDivergedException;
import archway.trial.TrialEvaluator;
import archway.trial.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The FlatNAS trial (docs/FLATNAS.md): builds the mbv3 subnet of the spec's genes on the runtime seam, starts it
 * from {@link InitialWeights}, trains it for the budget's epochs on a seeded subset of the budget's training-image
 * limit with SGD (momentum, weight decay, cosine to 0 per step) around adaptive SAM, then measures on the test
 * split its error, its flatness R (multiplicative weight noise, sigma and M draws) and its exact traced parameter
 * and MAC counts; with {@code ood} also the corruption benchmark's mean corruption error (overall and per
 * corruption) on a seeded test subset.
 *
 * <p>Every random choice (initial weights, training subset, batch order, noise draws, corruptions) comes from the
 * spec's seed, and the thread count is in the spec, so the metrics depend on the spec alone: any worker may run,
 * re-run or deduplicate it.
 */
public final class FlatnasTrial implements TrialEvaluator {
    public static final String PROBLEM = FlatnasProblem.TRIAL_KIND;

    private final Function<TrialSpec, InitialWeights> initialWeights;

    /** Candidates start as their spec says ({@link InitialWeights#of}). */
    public FlatnasTrial() {
        this(InitialWeights::of);
    }

    public FlatnasTrial(Function<TrialSpec, InitialWeights> initialWeights) {
        this.initialWeights = initialWeights;
    }

    @Override
    public Map<String, Double> evaluate(TrialSpec spec) throws Exception {
        FlatnasTrialSettings s = FlatnasTrialSettings.from(spec.settings());
        Mbv3Arch arch = new Mbv3GeneSpace(List.of()).decode(spec.genes());
        InitialWeights start = initialWeights.apply(spec);
        Backends.standard().threads(s.threads());
        DatasetSplit data = Datasets.load(s.dataset(), s.dataDir() == null ? null : java.nio.file.Path.of(s.dataDir()));
        Dataset train = data.train();
        Dataset fullTest = data.test();
        Dataset test = seededSubset(fullTest, s.testLimit(), spec.seed());
        int[] subset = Subsets.random(train.size(), spec.budget().trainLimit(), spec.seed());
        if (subset.length < s.batch()) {
            throw new IllegalArgumentException("batch " + s.batch() + " is larger than the " + subset.length
                    + " training images of the trial");
        }
        ChannelStats stats = ChannelStats.of(train);
        int evalBatch = Math.min(s.batch(), test.size());
        try (Network net = new Network(Mbv3Network.discrete(arch, train.numClasses()), train.channels(), train.height(),
                train.width(), spec.seed());
             EvalBatches testBatches = new EvalBatches(test, evalBatch, stats)) {
            ParamStore params = net.params();
            start.apply(arch, net, new InitialWeights.Calibration(train, subset, stats, s.batch()));
            train(net, s, spec, train, subset, stats);
            Flatness.Result flat = Flatness.measure(net, testBatches, s.sigma(), s.draws(), spec.seed());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(FlatnasMetrics.ERROR, 100 - flat.cleanAccuracy());
            m.put(FlatnasMetrics.FLATNESS, flat.r());
            m.put(FlatnasMetrics.PARAMS, (double) params.weightCount());
            m.put(FlatnasMetrics.MACS, (double) net.macsPerSample());
            if (s.ood()) {
                Dataset oodTest = seededSubset(fullTest, s.oodLimit(), spec.seed());
                CorruptionErrors ce = CorruptionErrors.measure(oodTest, d -> accuracy(net, d, evalBatch, stats),
                        spec.seed());
                m.put(FlatnasMetrics.MCE, ce.meanCorruptionError());
                for (Corruption c : Corruption.values()) {
                    m.put(FlatnasMetrics.MCE_PREFIX + c.id(), ce.meanError(c));
                }
                m.put(FlatnasMetrics.OOD_CLEAN_ERROR, 100 - accuracy(net, oodTest, evalBatch, stats));
            }
            return m;
        }
    }

    /**
     * Adaptive SAM around SGD: per step the gradient at w, the ascent to w + e, the gradient there (BN running
     * statistics of that second pass discarded, as SAM implementations do), w restored, and the SGD step with the
     * gradient from w + e at the cosine rate of this step.
     */
    private static void train(Network net, FlatnasTrialSettings s, TrialSpec spec, Dataset train, int[] subset,
                              ChannelStats stats) {
        int epochs = spec.budget().epochs();
        if (epochs == 0) {
            return;
        }
        ParamStore p = net.params();
        FlatOps flat = p.backend().flat();
        long n = p.flatLength(ValueKind.WEIGHT);
        long stateN = p.flatLength(ValueKind.STATE);
        Pass pass = net.pass(s.batch(), Mode.TRAIN, ValueKind.WEIGHT);
        CosineSchedule schedule = new CosineSchedule(s.lr(), 0, epochs);
        try (Sgd sgd = new Sgd(p.backend(), p.weights(), p.weightGrads(), n, (float) s.momentum(),
                (float) s.weightDecay(), false);
             Sam sam = new Sam(p.backend(), p.weights(), p.weightGrads(), n, Sam.Kind.ADAPTIVE, (float) s.samRho(),
                     Sam.DEFAULT_ETA);
             BufferArena arena = p.backend().arena();
             BatchLoader loader = BatchLoader.start(train, subset, s.batch(), Augmentation.NONE, stats, spec.seed())) {
            Buffer bnStats = arena.allocate(Math.max(1, stateN));
            int steps = loader.stepsPerEpoch();
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (int step = 0; step < steps; step++) {
                    try (Batch b = loader.next()) {
                        pass.load(b.images(), b.labels());
                    }
                    pass.forward();
                    float loss = pass.loss();
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException("training loss became " + loss + " at epoch " + (epoch + 1)
                                + ", step " + (step + 1));
                    }
                    pass.backward();
                    if (stateN > 0) {
                        flat.copy(p.state(), bnStats, stateN);
                    }
                    sam.perturb();
                    pass.forward();
                    pass.backward();
                    sam.restore();
                    if (stateN > 0) {
                        flat.copy(bnStats, p.state(), stateN);
                    }
                    sgd.step((float) schedule.at(epoch + (double) step / steps));
                }
            }
        }
    }

    /** {@code limit} images of {@code d} drawn with {@code seed} (all of them for 0 or at least its size). */
    private static Dataset seededSubset(Dataset d, int limit, long seed) {
        return limit == 0 || limit >= d.size() ? d
                : d.subset(Subsets.random(d.size(), limit, seed), d.name() + "[" + limit + "]");
    }

    /** Test accuracy (percent) of the network on a whole dataset. */
    private static double accuracy(Network net, Dataset d, int batch, ChannelStats stats) {
        try (EvalBatches b = new EvalBatches(d, Math.min(batch, d.size()), stats)) {
            return Evaluator.evaluate(net, b).accuracy();
        }
    }
}
