package archway.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.data.Batch;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.EvalBatches;
import archway.graph.ParamStore;
import archway.nn.Layers;
import archway.nn.Network;
import archway.nn.NetworkBuilder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Recalibrated running statistics against a double reference computed from the same batches. */
class BatchNormCalibrationTest {
    @Test
    void runningStatisticsAreTheImageWeightedMeansOfTheBatchStatistics() {
        int n = 9, c = 2, hw = 9;
        SplittableRandom rng = new SplittableRandom(5);
        byte[] images = new byte[n * c * hw];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) rng.nextInt(256);
        }
        Dataset ds = new Dataset("bn", c, 3, 3, 2, images, new int[n], List.of());
        // BN straight on the input: its statistics are those of the normalised pixels.
        NetworkBuilder b = (g, x) -> Layers.linear(g, "fc", Layers.globalAvgPool(g, "pool", Layers.bn(g, "bn", x, true)), 2);
        try (Network net = new Network(b, c, 3, 3, 1); EvalBatches batches = new EvalBatches(ds, 4, ChannelStats.of(ds))) {
            double[][] sums = new double[2][c];
            int used = 0;
            batches.reset();
            while (batches.hasNext()) {
                Batch bt = batches.next();
                if (bt.size() < 2) {
                    continue;
                }
                float[] x = new float[bt.size() * c * hw];
                bt.images().read(0, x);
                for (int ch = 0; ch < c; ch++) {
                    double s = 0, ss = 0;
                    int m = bt.size() * hw;
                    for (int i = 0; i < bt.size(); i++) {
                        for (int p = 0; p < hw; p++) {
                            s += x[(i * c + ch) * hw + p];
                        }
                    }
                    double mean = s / m;
                    for (int i = 0; i < bt.size(); i++) {
                        for (int p = 0; p < hw; p++) {
                            double d = x[(i * c + ch) * hw + p] - mean;
                            ss += d * d;
                        }
                    }
                    sums[0][ch] += mean * bt.size();
                    sums[1][ch] += ss / (m - 1) * bt.size();
                }
                used += bt.size();
            }
            assertEquals(8, used, "batches of 4, 4 and a skipped single image");
            assertEquals(used, BatchNormCalibration.recalibrate(net, batches));
            ParamStore p = net.params();
            float[] mean = p.slice(p.entry("bn.running_mean")).toFloatArray();
            float[] var = p.slice(p.entry("bn.running_var")).toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                assertEquals(sums[0][ch] / used, mean[ch], 1e-5, "mean of channel " + ch);
                assertEquals(sums[1][ch] / used, var[ch], 1e-5 * Math.abs(sums[1][ch] / used), "variance of channel " + ch);
            }
        }
    }
}
