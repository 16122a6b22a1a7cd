package archway.nachos;

import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.Augmentation;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.EvalBatches;
import archway.data.Subsets;
import archway.graph.ValueKind;
import archway.optim.CosineSchedule;
import archway.optim.Sgd;
import archway.runtime.Buffer;
import archway.train.TrainingDivergedException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Trains an early-exit network as NACHOS does and tunes its thresholds (docs/NACHOS.md): the backbone first
 * (cross-entropy on the final exit), then the exit heads on the frozen backbone with
 * L = L_cls + L_bce + w_macs L_macs + [epoch >= n_sup] w_sup L_sup ({@link NachosGradient}; each epoch from n_sup on
 * holds a class-balanced support set out of its training to measure A), then thresholds on the validation images
 * ({@link ThresholdTuner}: grid, then the repair step under top1_min / MACs_max), and finally the test split with
 * those thresholds. Deterministic for the same configuration (seed, threads).
 */
public final class NachosTrainer {
    private final NachosTrainConfig cfg;
    private final PrintStream log;

    public NachosTrainer(NachosTrainConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** What training and tuning gave: thresholds, validation and test outcomes, the final exit's own test top-1. */
    public record Trained(double[] thresholds, ThresholdTuner.Outcome validation, ThresholdTuner.Outcome test,
            double[] testExitAccuracy, double[] exitMacs) {
    }

    /** The training images (a seeded subset under --train-limit) split into (train, validation) index arrays. */
    public static int[][] trainValidation(Dataset train, int trainLimit, long seed) {
        int[] all = Subsets.random(train.size(), trainLimit, seed);
        int[] labels = Arrays.stream(all).map(train::label).toArray();
        SupportSplit split = SupportSplit.of(labels, train.numClasses(), NachosTrainConfig.VALIDATION_FRACTION,
                seed ^ 0x5A1DL);
        return new int[][] {Arrays.stream(split.train()).map(i -> all[i]).toArray(),
                Arrays.stream(split.support()).map(i -> all[i]).toArray()};
    }

    public Trained train(EarlyExitModel model, DatasetSplit data) {
        Dataset train = data.train();
        ChannelStats stats = ChannelStats.of(train);
        int[][] tv = trainValidation(train, cfg.trainLimit(), cfg.seed());
        if (tv[0].length < cfg.batch() || tv[1].length == 0) {
            throw new IllegalArgumentException("batch " + cfg.batch() + " needs at least that many training images, got "
                    + tv[0].length + " (and " + tv[1].length + " validation images)");
        }
        var params = model.params();
        long total = params.flatLength(ValueKind.WEIGHT);
        long exitFrom = EarlyExitNetwork.exitWeightsFrom(params);
        try (Sgd backbone = sgd(params.weights(), params.weightGrads(), 0, exitFrom, params);
             Sgd exits = sgd(params.weights(), params.weightGrads(), exitFrom, total - exitFrom, params)) {
            trainBackbone(model, train, stats, tv[0], backbone);
            recalibrate(model, train, stats, tv[0]);
            trainExits(model, train, stats, tv[0], exits);
        }
        double[] exitMacs = model.network().costs().perExit();
        ExitOutputs val;
        try (EvalBatches b = new EvalBatches(train, tv[1], Math.min(cfg.batch(), tv[1].length), stats)) {
            val = ExitOutputs.collect(model, b);
        }
        ThresholdTuner tuner = new ThresholdTuner(val.confidence(), val.correct(), exitMacs);
        ThresholdTuner.Outcome tuned = tuner.tune();
        ThresholdTuner.Outcome repaired = tuner.repair(tuned, cfg.top1Min(), cfg.macsMax());
        ExitOutputs test;
        try (EvalBatches b = new EvalBatches(data.test(), Math.min(cfg.batch(), data.test().size()), stats)) {
            test = ExitOutputs.collect(model, b);
        }
        ThresholdTuner.Outcome onTest = new ThresholdTuner(test.confidence(), test.correct(), exitMacs)
                .outcome(repaired.thresholds());
        double[] exitAcc = new double[exitMacs.length];
        for (int j = 0; j < exitAcc.length; j++) {
            exitAcc[j] = test.exitAccuracy(j);
        }
        return new Trained(repaired.thresholds(), repaired, onTest, exitAcc, exitMacs);
    }

    private Sgd sgd(Buffer weights, Buffer grads, long from, long length, archway.graph.ParamStore params) {
        return new Sgd(params.backend(), weights.slice(from, Math.max(1, length)), grads.slice(from, Math.max(1, length)),
                length, (float) cfg.momentum(), (float) cfg.weightDecay(), false);
    }

    private void trainBackbone(EarlyExitModel model, Dataset train, ChannelStats stats, int[] indices, Sgd sgd) {
        CosineSchedule schedule = new CosineSchedule(cfg.lr(), cfg.lrMin(), cfg.epochs());
        EarlyExitModel.ExitPass pass = model.backbonePass(cfg.batch());
        int classes = model.network().classes();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            try (BatchLoader loader = BatchLoader.resume(train, indices, cfg.batch(), Augmentation.NONE, stats,
                    cfg.seed(), epoch, 0)) {
                int steps = loader.stepsPerEpoch();
                double sum = 0;
                for (int step = 0; step < steps; step++) {
                    int[] labels;
                    try (Batch b = loader.next()) {
                        pass.load(b.images(), b.labels(), model.params().flat());
                        labels = labels(b);
                    }
                    pass.forward();
                    double loss = crossEntropy(pass.output(0), labels, classes);
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException("backbone loss became " + loss + " at epoch " + (epoch + 1));
                    }
                    pass.backward();
                    sgd.step((float) schedule.at(epoch + step / (double) steps));
                    sum += loss;
                }
                log.printf(java.util.Locale.ROOT, "backbone epoch %d/%d  loss %.4f%n", epoch + 1, cfg.epochs(),
                        sum / steps);
            }
        }
    }

    /** Batches of forward passes that re-estimate the backbone's BN running statistics after training. */
    static final int RECALIBRATION_BATCHES = 30;

    /**
     * Re-estimates the backbone's BN running statistics with its final weights: forward-only TRAIN-mode passes over
     * training batches (the running averages move, nothing else does). Without it the running statistics lag the
     * few, large steps of a short trial and the EVAL-mode network (the one the exits and thresholds are tuned on)
     * is far worse than the trained one; OFA recalibrates its subnets the same way.
     */
    private void recalibrate(EarlyExitModel model, Dataset train, ChannelStats stats, int[] indices) {
        EarlyExitModel.ExitPass pass = model.backbonePass(cfg.batch());
        try (BatchLoader loader = BatchLoader.resume(train, indices, cfg.batch(), Augmentation.NONE, stats,
                cfg.seed() ^ 0xBAL, 0, 0)) {
            for (int step = 0; step < RECALIBRATION_BATCHES; step++) {
                try (Batch b = loader.next()) {
                    pass.load(b.images(), b.labels(), model.params().flat());
                }
                pass.forward();
            }
        }
    }

    private void trainExits(EarlyExitModel model, Dataset train, ChannelStats stats, int[] indices, Sgd sgd) {
        CosineSchedule schedule = new CosineSchedule(cfg.lr(), cfg.lrMin(), cfg.epochs());
        EarlyExitNetwork net = model.network();
        int exits = net.exits();
        int classes = net.classes();
        double[] exitMacs = net.costs().perExit();
        EarlyExitModel.ExitPass pass = model.exitPass(cfg.batch());
        int[] labelsAll = Arrays.stream(indices).map(train::label).toArray();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            double[][] support = null;
            int[] epochIndices = indices;
            if (epoch >= cfg.nSup()) {
                SupportSplit split = SupportSplit.of(labelsAll, classes, SupportSplit.FRACTION, cfg.seed() * 31 + epoch);
                int[] held = Arrays.stream(split.support()).map(i -> indices[i]).toArray();
                epochIndices = Arrays.stream(split.train()).map(i -> indices[i]).toArray();
                try (EvalBatches b = new EvalBatches(train, held, Math.min(cfg.batch(), held.length), stats)) {
                    ExitOutputs o = ExitOutputs.collect(model, b);
                    int[] all = java.util.stream.IntStream.range(0, o.size()).toArray();
                    support = SupportSplit.accuracy(o.labels(), o.correct(), all, classes);
                }
            }
            try (BatchLoader loader = BatchLoader.resume(train, epochIndices, cfg.batch(), Augmentation.NONE, stats,
                    cfg.seed(), epoch, 0)) {
                int steps = loader.stepsPerEpoch();
                double sum = 0;
                for (int step = 0; step < steps; step++) {
                    int[] labels;
                    try (Batch b = loader.next()) {
                        pass.load(b.images(), b.labels(), model.params().flat());
                        labels = labels(b);
                    }
                    pass.forward();
                    NachosGradient.Result r = gradient(pass, labels, exits, classes, exitMacs, support);
                    if (!Double.isFinite(r.terms().total())) {
                        throw new TrainingDivergedException("exit loss became " + r.terms().total() + " at epoch "
                                + (epoch + 1));
                    }
                    seed(pass, r, exits, classes);
                    pass.backward();
                    sgd.step((float) schedule.at(epoch + step / (double) steps));
                    sum += r.terms().total();
                }
                log.printf(java.util.Locale.ROOT, "exit epoch %d/%d  loss %.4f%s%n", epoch + 1, cfg.epochs(), sum / steps,
                        support == null ? "" : "  (with L_sup)");
            }
        }
    }

    /** The NACHOS loss and its gradient for the pass's last forward. */
    private NachosGradient.Result gradient(EarlyExitModel.ExitPass pass, int[] labels, int exits, int classes,
            double[] exitMacs, double[][] support) {
        int n = labels.length;
        double[][][] z = new double[n][exits][classes];
        double[][] u = new double[n][exits];
        for (int j = 0; j < exits; j++) {
            float[] out = pass.output(j);
            int width = pass.width(j);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < classes; k++) {
                    z[i][j][k] = out[i * width + k];
                }
                if (j < exits - 1) {
                    u[i][j] = out[i * width + classes];
                }
            }
        }
        return NachosGradient.of(z, u, labels, exitMacs, cfg.macsMax(), cfg.wMacs(), support, cfg.wSup());
    }

    private static void seed(EarlyExitModel.ExitPass pass, NachosGradient.Result r, int exits, int classes) {
        int n = r.dz().length;
        for (int j = 0; j < exits - 1; j++) {
            float[] g = new float[n * (classes + 1)];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < classes; k++) {
                    g[i * (classes + 1) + k] = (float) r.dz()[i][j][k];
                }
                g[i * (classes + 1) + classes] = (float) r.du()[i][j];
            }
            pass.seed(j, g);
        }
    }

    private static int[] labels(Batch b) {
        int[] y = new int[b.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = b.labels().getInt(i);
        }
        return y;
    }

    /** Mean softmax cross-entropy of logits [n, classes] (row-major) in double. */
    static double crossEntropy(float[] logits, int[] labels, int classes) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[i * classes + k]);
            }
            double s = 0;
            for (int k = 0; k < classes; k++) {
                s += Math.exp(logits[i * classes + k] - max);
            }
            sum += max + Math.log(s) - logits[i * classes + labels[i]];
        }
        return sum / labels.length;
    }
}
