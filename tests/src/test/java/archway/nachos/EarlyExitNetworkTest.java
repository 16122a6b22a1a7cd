package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.EvalBatches;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.runtime.Backends;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3GeneSpace;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The early-exit network on the runtime seam: traced counts equal the analytic ones, the MACs measured over a batch
 * equal the expected MACs of its exit decisions, the host-seeded backward reaches the exit heads only, and the
 * two-phase training learns an easy problem at every exit.
 */
class EarlyExitNetworkTest {
    @Test
    void tracedExitMacsAndParamsEqualTheAnalyticCounts() {
        NachosGeneSpace space = new NachosGeneSpace(new Mbv3GeneSpace(List.of()));
        SplittableRandom rng = new SplittableRandom(8);
        for (int t = 0; t < 4; t++) {
            NachosGeneSpace.Decoded d = space.decode(space.sample(rng));
            int channels = t % 2 == 0 ? 1 : 3;
            int size = t % 2 == 0 ? 28 : 32;
            EarlyExitNetwork net = EarlyExitNetwork.of(d.arch(), d.exits(), channels, size, 10);
            double[] analytic = net.costs().perExit();
            long[] traced = net.tracedExitMacs(channels, size);
            for (int j = 0; j < traced.length; j++) {
                assertEquals((long) analytic[j], traced[j], "exit " + j + " of " + d);
            }
            long params = Mbv3Count.of(d.arch(), channels, size, 10).params();
            for (ExitClassifier h : net.costs().heads()) {
                params += h.params();
            }
            assertEquals(params, net.tracedParams(channels, size), "parameters of " + d);
        }
    }

    /**
     * n random 16x16 grey images whose class (of 4) sets their brightness: a signal every exit keeps, even one whose
     * max-pool shrinks its map to 1x1.
     */
    private static Dataset brightness(String name, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] images = new byte[n * 256];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(4);
            for (int p = 0; p < 256; p++) {
                images[i * 256 + p] = (byte) (20 + 60 * labels[i] + r.nextInt(40));
            }
        }
        return new Dataset(name, 1, 16, 16, 4, images, labels, List.of());
    }

    private static EarlyExitNetwork small() {
        return EarlyExitNetwork.of(Mbv3Arch.smallest(), ExitPlacement.ofGenes(1, 0, 1, 0), 1, 16, 4);
    }

    @Test
    void measuredMacsOverABatchEqualTheExpectedMacsOfItsDecisions() {
        EarlyExitNetwork net = small();
        Dataset data = brightness("batch", 37, 1);
        try (EarlyExitModel model = new EarlyExitModel(Backends.standard(), net, 1, 16, 3);
             EvalBatches b = new EvalBatches(data, 16, ChannelStats.of(data))) {
            ExitOutputs out = ExitOutputs.collect(model, b);
            for (double[] p : ExitScores.exitProbabilities(out.confidence())) {
                double sum = 0;
                for (double v : p) {
                    assertTrue(v >= 0 && v <= 1);
                    sum += v;
                }
                assertEquals(1, sum, 1e-12, "exit probabilities of one sample");
            }
            long[] traced = net.tracedExitMacs(1, 16);
            for (double[] eps : new double[][] {{0.5, 0.5}, {0.9, 0.1}, {0.1, 0.9}}) {
                NachosEvaluation.Report r = NachosEvaluation.report(net, out, eps, traced);
                double[] rates = ExitScores.rates(ExitScores.decisions(out.confidence(), eps), net.exits());
                assertEquals(net.costs().expected(rates), r.averageMacs(), 1e-9 * r.averageMacs());
                assertEquals(37, java.util.Arrays.stream(r.taken()).sum());
            }
        }
    }

    @Test
    void theSeededBackwardReachesTheExitHeadsOnly() {
        EarlyExitNetwork net = small();
        Dataset data = brightness("seeded", 8, 2);
        try (EarlyExitModel model = new EarlyExitModel(Backends.standard(), net, 1, 16, 4);
             EvalBatches b = new EvalBatches(data, 8, ChannelStats.of(data))) {
            EarlyExitModel.ExitPass pass = model.exitPass(8);
            var batch = b.next();
            pass.load(batch.images(), batch.labels(), model.params().flat());
            pass.forward();
            SplittableRandom r = new SplittableRandom(6);
            float[][] seeds = new float[net.exits() - 1][];
            for (int j = 0; j < seeds.length; j++) {
                seeds[j] = new float[8 * 5];
                for (int i = 0; i < seeds[j].length; i++) {
                    seeds[j][i] = (float) r.nextGaussian();
                }
                pass.seed(j, seeds[j]);
            }
            pass.backward();
            ParamStore p = model.params();
            long exitFrom = EarlyExitNetwork.exitWeightsFrom(p);
            float[] grads = p.weightGrads().toFloatArray();
            for (int i = 0; i < exitFrom; i++) {
                assertEquals(0f, grads[i], 0f, "backbone gradient at " + i);
            }
            for (int j = 0; j < seeds.length; j++) {
                // the linear layer's bias gradient is the column sum of its output gradient
                float[] db = p.gradSlice(p.entry("exit" + j + ".linear.bias")).toFloatArray();
                for (int k = 0; k < 5; k++) {
                    double sum = 0;
                    for (int i = 0; i < 8; i++) {
                        sum += seeds[j][i * 5 + k];
                    }
                    assertEquals(sum, db[k], 1e-5, "exit " + j + " bias " + k);
                }
                float[] dw = p.gradSlice(p.entry("exit" + j + ".conv0.weight")).toFloatArray();
                assertTrue(java.util.Arrays.stream(toDoubles(dw)).anyMatch(v -> v != 0), "exit " + j + " conv0 gets a gradient");
            }
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void twoPhaseTrainingLearnsAnEasyProblemAndIsDeterministic() {
        DatasetSplit data = new DatasetSplit(brightness("train", 160, 3), brightness("test", 48, 4), "synthetic");
        // Seed sweeps (seeds 1-10, ten epochs) show what this toy problem supports. The middle exit (after
        // the first block) is not reliably above chance: below 0.5 for 4 to 7 of the 10 seeds at learning
        // rates 0.1, 0.05 and 0.02, and which seeds fail moves with last-bit kernel changes (Winograd
        // F(4x4), another weight-gradient kernel). At 0.05 the last exit reached 1.0 for all 10 seeds and
        // the mean over exits was at least 0.58 (chance: 0.25). So: the last exit learns, the exits
        // together learn, and the training is deterministic.
        NachosTrainConfig cfg = new NachosTrainConfig(10, 16, 0.05, 0, 0.9, 5e-5, 7, 1, 0, 1e9, 0, 1, 1, 1);
        double[] first = null;
        for (int run = 0; run < 2; run++) {
            try (EarlyExitModel model = new EarlyExitModel(Backends.standard(), small(), 1, 16, cfg.seed())) {
                Backends.standard().threads(1);
                NachosTrainer.Trained t = new NachosTrainer(cfg, new PrintStream(OutputStream.nullOutputStream()))
                        .train(model, data);
                double[] acc = t.testExitAccuracy();
                assertTrue(acc[acc.length - 1] >= 0.9, "last exit test accuracy " + acc[acc.length - 1]);
                assertTrue(java.util.Arrays.stream(acc).average().orElseThrow() > 0.5,
                        "mean exit test accuracy " + java.util.Arrays.toString(acc));
                double[] weights = toDoubles(model.params().weights().toFloatArray());
                if (first == null) {
                    first = weights;
                } else {
                    assertArrayEquals(first, weights, 0, "same seed and threads: same weights");
                }
                assertEquals(ValueKind.WEIGHT, model.params().entry("exit0.linear.weight").kind());
            }
        }
    }
}
