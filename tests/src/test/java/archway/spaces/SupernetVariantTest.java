package archway.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.Plan;
import archway.graph.Value;
import archway.graph.ValueKind;
import archway.graph.Workspace;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.nn.Layers;
import archway.nn.Network;
import archway.runtime.cpu.CpuBuffer;
import archway.spaces.SupernetVariant.PartialChannels;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.nb201.Nb201Network;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The supernet wirings of the bases (docs/specs/darts-family.md): AsquaredM's per-cell partial channels on
 * NB201, PC-DARTS edge normalisation, DARTS-'s auxiliary skip (from the cell input on NB201; its own
 * FactorizedReduce on DARTS-space reduction edges). Forward values against hand-derived closed forms of
 * one NB201 cell whose edges are all skip (or all none), and gradients against finite differences.
 */
class SupernetVariantTest {
    private static final int N = 2, HW = 9;

    /** One NB201 search cell on a random input x [N, c, 3, 3]; returns {x, cell output}. */
    private static float[][] nb201Cell(SupernetVariant v, int c, Consumer<ParamStore> weights) {
        try (ParamStore p = new ParamStore(3); Workspace ws = new Workspace()) {
            Graph g = new Graph(p);
            ParamStore.Entry xe = p.weight("x", new int[] {N, c, 3, 3}, new Init.Normal(1f));
            Value y = Nb201Network.searchCell(g, "cell", g.param(xe), v);
            Value logits = Layers.linear(g, "fc", Layers.globalAvgPool(g, "gap", y), 3);
            SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, g.labels(N));
            try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.noneOf(ValueKind.class), y)) {
                weights.accept(p);
                plan.forward();
                return new float[][] {CpuBuffer.segment(p.slice(xe)).toArray(ValueLayout.JAVA_FLOAT),
                        CpuBuffer.segment(plan.buffer(y)).toArray(ValueLayout.JAVA_FLOAT)};
            }
        }
    }

    /** Every edge one-hot on {@code op} (mixing weight 1, the others 0 and so skipped). */
    private static void oneHot(ParamStore p, int op) {
        MemorySegment mix = CpuBuffer.segment(p.mix());
        ParamStore.Entry a = p.entry(Nb201Network.MIX_NAME);
        for (int e = 0; e < Nb201Network.EDGES; e++) {
            for (int o = 0; o < Nb201Network.OPS.size(); o++) {
                mix.setAtIndex(ValueLayout.JAVA_FLOAT, a.offset() + (long) e * Nb201Network.OPS.size() + o, o == op ? 1f : 0f);
            }
        }
    }

    private static void set(ParamStore p, String block, int i, float v) {
        CpuBuffer.segment(p.mix()).setAtIndex(ValueLayout.JAVA_FLOAT, p.entry(block).offset() + i, v);
    }

    @Test
    void nb201PerCellPartialChannelsRunTheWholeCellOnOneSliceAndShuffleOnce() {
        int c = 8; // K = 4: the cell runs on channels 0, 1; channels 2..7 bypass it
        float[][] r = nb201Cell(new SupernetVariant(PartialChannels.PER_CELL, false, false), c, p -> oneHot(p, Nb201Network.SKIP));
        float[] x = r[0], y = r[1];
        // All-skip cell: node1 = x0, node2 = x0 + node1 = 2 x0, node3 = x0 + node1 + node2 = 4 x0 on the slice.
        // concat [4 x_0, 4 x_1, x_2 .. x_7], shuffled with 4 groups of 2: output channel i*4 + g <- input g*2 + i.
        int[] from = {0, 2, 4, 6, 1, 3, 5, 7};
        float[] expected = new float[x.length];
        for (int b = 0; b < N; b++) {
            for (int ch = 0; ch < c; ch++) {
                int src = from[ch];
                float scale = src < 2 ? 4f : 1f;
                for (int i = 0; i < HW; i++) {
                    expected[(b * c + ch) * HW + i] = scale * x[(b * c + src) * HW + i];
                }
            }
        }
        assertArrayEquals(expected, y, 1e-5f);
    }

    @Test
    void nb201AuxiliarySkipAddsBetaTimesTheCellInputOnEveryEdge() {
        float beta = 0.5f;
        float[][] r = nb201Cell(new SupernetVariant(PartialChannels.NONE, false, true), 4, p -> {
            oneHot(p, Nb201Network.NONE);
            set(p, SupernetVariant.AUX_SKIP, 0, beta);
        });
        // Every mixed edge is none (zero); node i = i * beta * x, so the output node3 = 3 beta x. (With beta on
        // each edge's own input, as before, it would be (beta + beta^2 + beta (beta + beta^2)) x = 1.125 x.)
        for (int i = 0; i < r[0].length; i++) {
            assertEquals(3 * beta * r[0][i], r[1][i], 1e-6f, "element " + i);
        }
    }

    @Test
    void nb201EdgeNormalisationWeightsTheIncomingEdgesOfEachNode() {
        float[] w = {0.9f, 0.3f, 0.7f, 0.2f, 0.5f, 0.3f}; // rows edge(i, j): 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2
        float[][] r = nb201Cell(new SupernetVariant(PartialChannels.NONE, true, false), 4, p -> {
            oneHot(p, Nb201Network.SKIP);
            for (int e = 0; e < w.length; e++) {
                set(p, Nb201Network.EDGE_NORM_NAME, e, w[e]);
            }
        });
        // node1 = w0 x, node2 = w1 x + w2 node1, node3 = w3 x + w4 node1 + w5 node2.
        double n1 = w[0], n2 = w[1] + w[2] * n1, n3 = w[3] + w[4] * n1 + w[5] * n2;
        for (int i = 0; i < r[0].length; i++) {
            assertEquals(n3 * r[0][i], r[1][i], 1e-5, "element " + i);
        }
    }

    @Test
    void dartsAuxiliarySkipHasItsOwnFactorizedReduceOnEachReductionEdge() {
        long plain, aux;
        List<String> auxNames;
        try (Network a = new Network(DartsNetwork.supernet(4, 3, 10, true, SupernetVariant.PLAIN), 1, 8, 8, 5);
             Network b = new Network(DartsNetwork.supernet(4, 3, 10, true, new SupernetVariant(PartialChannels.NONE, false, true)),
                     1, 8, 8, 5)) {
            plain = a.params().weightCount();
            aux = b.params().weightCount();
            auxNames = b.params().entries().stream().filter(e -> e.kind() == ValueKind.WEIGHT)
                    .map(ParamStore.Entry::name).filter(n -> n.contains(".aux.")).toList();
        }
        // Cells 1 and 2 of 3 reduce (C = 8 and 16 there). Each has 8 edges from its two inputs (j < 2 for the four
        // nodes); each gets a FactorizedReduce of two 1x1 convolutions c -> c/2 (c^2 weights, BN non-affine).
        assertEquals(8 * 8 * 8 + 8 * 16 * 16, aux - plain);
        assertEquals(2 * 8 * 2, auxNames.size(), "two convolutions per reduction edge: " + auxNames);
        assertTrue(auxNames.stream().allMatch(n -> n.startsWith("cell1.") || n.startsWith("cell2.")), auxNames.toString());
    }

    @Test
    void dartsEdgeNormalisedAuxiliarySupernetGradientsMatchFiniteDifferences() {
        SupernetVariant v = new SupernetVariant(PartialChannels.PER_EDGE, true, true);
        try (Network net = new Network(DartsNetwork.supernet(4, 3, 10, true, v), 1, 8, 8, 5)) {
            double largest = SupernetGradients.check(net, 4, 10, ValueKind.MIX, List.of(DartsNetwork.MIX_NORMAL,
                    DartsNetwork.MIX_REDUCE, DartsNetwork.EDGE_NORM_NORMAL, DartsNetwork.EDGE_NORM_REDUCE,
                    SupernetVariant.AUX_SKIP), 20, 5e-4, 29);
            assertTrue(largest > 1e-3, "gradients too small to test anything: " + largest);
        }
    }

    @Test
    void nb201PerCellEdgeNormalisedAndAuxiliarySupernetGradientsMatchFiniteDifferences() {
        for (SupernetVariant v : List.of(new SupernetVariant(PartialChannels.PER_CELL, true, false),
                new SupernetVariant(PartialChannels.NONE, false, true))) {
            try (Network net = new Network(Nb201Network.supernet(4, 1, 10, v), 1, 8, 8, 5)) {
                List<String> blocks = v.auxiliarySkip() ? List.of(Nb201Network.MIX_NAME, SupernetVariant.AUX_SKIP)
                        : List.of(Nb201Network.MIX_NAME, Nb201Network.EDGE_NORM_NAME);
                double largest = SupernetGradients.check(net, 4, 10, ValueKind.MIX, blocks, 12, 5e-4, 31);
                assertTrue(largest > 1e-3, v + ": gradients too small to test anything: " + largest);
            }
        }
    }

    @Test
    void perCellPartialChannelsAreAnNb201VariantOnly() {
        assertThrows(IllegalArgumentException.class, () -> DartsNetwork.supernet(4, 3, 10, true,
                new SupernetVariant(PartialChannels.PER_CELL, false, false)));
        assertEquals(PartialChannels.PER_CELL, PartialChannels.parse("cell"));
        assertThrows(IllegalArgumentException.class, () -> PartialChannels.parse("none"));
    }
}
