package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** NB201 discretisation: argmax over all five ops per edge, none included, ties to the lower index. */
class Nb201GenotypeTest {
    @Test
    void argmaxPerEdgeIncludingNone() {
        double[] p = new double[30];
        int[] winners = {0, 1, 2, 3, 4, 3};
        for (int e = 0; e < 6; e++) {
            for (int o = 0; o < 5; o++) {
                p[e * 5 + o] = o == winners[e] ? 0.4 : 0.15;
            }
        }
        assertEquals("|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|nor_conv_3x3~2|",
                new Nb201SearchSpace().genotype(p));
    }

    @Test
    void tiesGoToTheLowerOpIndex() {
        double[] p = new double[30];
        java.util.Arrays.fill(p, 0.2);
        assertEquals("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", new Nb201SearchSpace().genotype(p));
        p[3] = 0.2 + 1e-9;
        p[4] = 0.2 + 1e-9;
        assertEquals("nor_conv_3x3", Nb201SearchSpace.arch(p).opName(0));
    }

    @Test
    void describeLooksUpTheBenchmarkTable() {
        var m = new Nb201SearchSpace().describe("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        assertEquals(6111, m.get("nb201_index"));
        assertEquals(94.37, (Double) m.get("nb201_cifar10_accuracy"), 0.005);
    }
}
