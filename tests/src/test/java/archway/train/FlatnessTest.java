package archway.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.Datasets;
import archway.data.EvalBatches;
import archway.graph.ValueKind;
import archway.nn.Layers;
import archway.nn.Network;
import archway.nn.NetworkBuilder;
import org.junit.jupiter.api.Test;

/** Flatness R: zero without noise, growing with sigma, and the weights come back bit for bit. */
class FlatnessTest {
    private static final NetworkBuilder SMALL = (g, x) -> {
        var h = Layers.conv(g, "c1", x, 8, 3, 2, 1, 1, 1);
        h = Layers.relu(g, "r1", h);
        h = Layers.conv(g, "c2", h, 16, 3, 2, 1, 1, 1);
        h = Layers.relu(g, "r2", h);
        return Layers.linear(g, "fc", Layers.globalAvgPool(g, "gap", h), 10);
    };

    @Test
    void zeroAtSigmaZeroGrowingWithSigmaAndRestoresTheWeights() {
        var split = Datasets.load("fashion-mnist-mini", null);
        Dataset test = split.test();
        int[] first = java.util.stream.IntStream.range(0, 200).toArray();
        EvalBatches batches = new EvalBatches(test, first, 100, ChannelStats.of(split.train()));
        try (Network net = new Network(SMALL, 1, 28, 28, 7)) {
            var p = net.params();
            long n = p.flatLength(ValueKind.WEIGHT);
            float[] before = new float[(int) n];
            p.weights().read(0, before);
            Flatness.Result none = Flatness.measure(net, batches, 0, 2, 1);
            assertEquals(0.0, none.r(), 0);
            Flatness.Result small = Flatness.measure(net, batches, 0.05, 4, 1);
            Flatness.Result large = Flatness.measure(net, batches, 1.0, 4, 1);
            assertTrue(large.r() > small.r(), "R " + small.r() + " at 0.05, " + large.r() + " at 1.0");
            assertTrue(large.r() > 0);
            float[] after = new float[(int) n];
            p.weights().read(0, after);
            assertArrayEquals(before, after, "weights restored");
            assertEquals(Flatness.measure(net, batches, 0.05, 4, 1).r(), small.r(), 0, "seeded");
        }
    }
}
