package archway.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.darts.Genotype;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DARTS supernet and discrete network: shapes, parameter counts, dL/dalpha by finite differences. */
class DartsNetworkTest {
    static final String DARTS_V2 = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
            + "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
            + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
            + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
            + "reduce_concat=[2, 3, 4, 5])";

    private static Value output(Graph g, String opName) {
        for (Op op : g.ops()) {
            if (op.name().equals(opName)) {
                return op.output();
            }
        }
        throw new AssertionError("no op " + opName);
    }

    @Test
    void edgeRowsFollowTheDartsOrderAndReductionsSitAtOneAndTwoThirds() {
        assertEquals(0, DartsNetwork.edge(0, 0));
        assertEquals(2, DartsNetwork.edge(1, 0));
        assertEquals(5, DartsNetwork.edge(2, 0));
        assertEquals(9, DartsNetwork.edge(3, 0));
        assertEquals(13, DartsNetwork.edge(3, 4));
        for (int i = 0; i < 8; i++) {
            assertEquals(i == 2 || i == 5, DartsNetwork.isReduction(i, 8), "cell " + i + " of 8");
        }
    }

    @Test
    void supernetShapesAndParameterCountMatchAHandCount() {
        try (ParamStore p = new ParamStore(1)) {
            Graph g = new Graph(p);
            Value logits = DartsNetwork.supernet(2, 3, 10, true, false).build(g, g.input("images", 2, 1, 8, 8));
            assertArrayEquals(new int[] {2, 10}, logits.shape());
            // 3 cells: reductions at 3/3 = 1 and 6/3 = 2; C = 2 -> 4 -> 8, output 4C channels each.
            assertArrayEquals(new int[] {2, 6, 8, 8}, output(g, "stem.bn").shape());
            assertArrayEquals(new int[] {2, 8, 8, 8}, output(g, "cell0.out").shape());
            assertArrayEquals(new int[] {2, 16, 4, 4}, output(g, "cell1.out").shape());
            assertArrayEquals(new int[] {2, 32, 2, 2}, output(g, "cell2.out").shape());
            assertArrayEquals(new int[] {14, 8}, p.entry(DartsNetwork.MIX_NORMAL).shape());
            assertArrayEquals(new int[] {14, 8}, p.entry(DartsNetwork.MIX_REDUCE).shape());
            assertTrue(p.entry(DartsNetwork.MIX_NORMAL).offset() < p.entry(DartsNetwork.MIX_REDUCE).offset());
            // Hand count (cell BN non-affine: no parameters). Per edge on C channels, stride 1:
            // sep3 2(9C + C^2), sep5 2(25C + C^2), dil3 9C + C^2, dil5 25C + C^2; reduction cells add a
            // FactorizedReduce skip (2 * C * C/2) on the 8 edges from the cell inputs.
            long stem = 6 * 9 + 12;
            long cell0 = 2 * (6 * 2) + 14 * edge(2);
            long cell1 = 6 * 4 + 8 * 4 + 14 * edge(4) + 8 * (4 * 2 * 2);
            long cell2 = 2 * (8 * 4) + 16 * 8 + 14 * edge(8) + 8 * (8 * 4 * 2);
            long classifier = 32 * 10 + 10;
            assertEquals(66 + 3216 + 7240 + 17504 + 330, stem + cell0 + cell1 + cell2 + classifier);
            assertEquals(stem + cell0 + cell1 + cell2 + classifier, p.weightCount());
        }
    }

    private static long edge(int c) {
        return 2 * (9L * c + c * c) + 2 * (25L * c + c * c) + (9L * c + c * c) + (25L * c + c * c);
    }

    @Test
    void droppingNoneGivesSevenColumnsAndTheSameWeights() {
        try (ParamStore with = new ParamStore(1); ParamStore without = new ParamStore(1)) {
            Graph a = new Graph(with), b = new Graph(without);
            DartsNetwork.supernet(2, 3, 10, true, false).build(a, a.input("images", 1, 1, 8, 8));
            DartsNetwork.supernet(2, 3, 10, false, false).build(b, b.input("images", 1, 1, 8, 8));
            assertArrayEquals(new int[] {14, 7}, without.entry(DartsNetwork.MIX_REDUCE).shape());
            assertEquals(with.weightCount(), without.weightCount());
        }
    }

    @Test
    void discreteNetworkOfDartsV2TrainsOneStep() {
        Genotype geno = Genotype.parse(DARTS_V2);
        try (Network net = new Network(DartsNetwork.discrete(geno, 4, 3, 10), 1, 8, 8, 3)) {
            Pass pass = net.pass(4, Mode.TRAIN, ValueKind.WEIGHT);
            assertArrayEquals(new int[] {4, 10}, pass.logits().shape());
            SupernetGradients.randomBatch(pass, 10, new Random(2));
            pass.forward();
            assertTrue(Float.isFinite(pass.loss()));
            pass.backward();
            // Affine BN in the discrete network; only the genotype's ops have weights.
            assertTrue(net.params().entries().stream().anyMatch(e -> e.name().equals("cell0.pre0.bn.gamma")));
            assertTrue(net.params().entries().stream().noneMatch(e -> e.name().contains("sep_conv_5x5")));
            assertTrue(net.params().entries().stream().noneMatch(e -> e.kind() == ValueKind.MIX));
        }
    }

    @Test
    void supernetAlphaGradientMatchesFiniteDifferences() {
        try (Network net = new Network(DartsNetwork.supernet(2, 3, 10, true, false), 1, 8, 8, 5)) {
            double largest = SupernetGradients.check(net, 4, 10, ValueKind.MIX,
                    List.of(DartsNetwork.MIX_NORMAL, DartsNetwork.MIX_REDUCE), 24, 5e-4, 11);
            assertTrue(largest > 1e-3, "gradients too small to test anything: " + largest);
        }
    }
}
