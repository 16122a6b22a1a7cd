package archway.spaces.mbv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.graph.Mode;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mbv3 network builder: traced parameter and MAC counts equal the analytic ones; it trains. */
class Mbv3NetworkTest {
    private static void assertCountsAgree(Mbv3Arch a, int channels, int resolution, int classes) {
        assertEquals(Mbv3Count.of(a, channels, resolution, classes), Mbv3Network.tracedCount(a, channels, resolution, classes),
                "counts of " + a);
    }

    @Test
    void tracedCountsEqualTheAnalyticCounts() {
        assertCountsAgree(Mbv3Arch.smallest(), 1, 28, 10);
        assertCountsAgree(Mbv3Arch.largest(), 3, 224, 1000);
        Mbv3GeneSpace space = new Mbv3GeneSpace(List.of());
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 4; i++) {
            assertCountsAgree(space.decode(space.sample(rng)), 1 + 2 * (i % 2), 24 + 4 * i, 10);
        }
    }

    @Test
    void theNetworksOwnCountsAgreeToo() {
        Mbv3Arch a = Mbv3Arch.uniform(3, 5, 4);
        try (Network net = new Network(Mbv3Network.discrete(a, 10), 1, 28, 28, 1)) {
            assertEquals(Mbv3Count.of(a, 1, 28, 10), new Mbv3Count(net.params().weightCount(), net.macsPerSample()));
        }
    }

    @Test
    void aFewSgdStepsLowerTheLossOnAFixedBatch() {
        Mbv3Arch a = Mbv3Arch.smallest();
        int batch = 8;
        try (Network net = new Network(Mbv3Network.discrete(a, 10), 1, 16, 16, 3)) {
            net.params();
            Pass p = net.pass(batch, Mode.TRAIN, ValueKind.WEIGHT);
            float[] images = new float[batch * 16 * 16];
            int[] labels = new int[batch];
            SplittableRandom rng = new SplittableRandom(2);
            for (int i = 0; i < batch; i++) {
                labels[i] = i % 10;
                for (int j = 0; j < 256; j++) {
                    images[i * 256 + j] = (float) (rng.nextGaussian() + (j % 16 < labels[i] ? 1 : 0));
                }
            }
            p.images().write(0, images);
            for (int i = 0; i < batch; i++) {
                p.labels().setInt(i, labels[i]);
            }
            p.forward();
            float first = p.loss();
            assertTrue(Float.isFinite(first));
            var store = net.params();
            long n = store.flatLength(ValueKind.WEIGHT);
            for (int step = 0; step < 5; step++) {
                p.forward();
                p.backward();
                store.backend().flat().axpy(-0.05f, store.weightGrads(), store.weights(), n);
            }
            p.forward();
            assertTrue(p.loss() < first, "loss " + first + " -> " + p.loss());
        }
    }
}
