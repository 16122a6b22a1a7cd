package archway.spaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import archway.graph.ops.MixedOp;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.nn.Layers;
import archway.nn.Network;
import archway.nn.PartialChannelEdge;
import archway.runtime.cpu.CpuBuffer;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.nb201.Nb201Network;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PC-DARTS partial-channel edges: the channel routing, and gradients of both supernets with them. */
class PartialChannelEdgeTest {
    @Test
    void identityCandidateGivesTheChannelShuffleOfTheInput() {
        int n = 2, c = 8, hw = 9, k = PartialChannelEdge.K, cpg = c / k;
        try (ParamStore p = new ParamStore(3); Workspace ws = new Workspace()) {
            Graph g = new Graph(p);
            ParamStore.Entry xe = p.weight("x", new int[] {n, c, 3, 3}, new Init.Normal(1f));
            ParamStore.Entry me = p.mix("m", new int[] {1, 2});
            Value mix = g.param(me);
            Value y = PartialChannelEdge.apply(g, "pc", g.param(xe), k, part -> {
                assertArrayEquals(new int[] {n, c / k, 3, 3}, part.shape());
                return MixedOp.apply(g, "mixed", new Value[] {null, part}, new boolean[] {false, false}, mix, 0);
            });
            Value logits = Layers.linear(g, "fc", Layers.globalAvgPool(g, "gap", y), 3);
            Value labels = g.labels(n);
            SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, labels);
            try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.noneOf(ValueKind.class), y)) {
                CpuBuffer.segment(p.mix()).setAtIndex(ValueLayout.JAVA_FLOAT, me.offset() + 1, 1f);
                plan.forward();
                float[] x = CpuBuffer.segment(p.slice(xe)).toArray(ValueLayout.JAVA_FLOAT);
                float[] got = CpuBuffer.segment(plan.buffer(y)).toArray(ValueLayout.JAVA_FLOAT);
                float[] expected = new float[x.length];
                for (int b = 0; b < n; b++) {
                    for (int gi = 0; gi < k; gi++) {
                        for (int i = 0; i < cpg; i++) {
                            System.arraycopy(x, (b * c + gi * cpg + i) * hw, expected, (b * c + i * k + gi) * hw, hw);
                        }
                    }
                }
                assertArrayEquals(expected, got, 0f);
            }
        }
    }

    @Test
    void channelsNotDivisibleByKAreRejected() {
        Graph g = new Graph(new ParamStore(1));
        Value x = g.input("x", 1, 6, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> PartialChannelEdge.apply(g, "pc", x, 4, v -> v));
    }

    @Test
    void dartsPartialChannelSupernetAlphaGradientMatchesFiniteDifferences() {
        try (Network net = new Network(DartsNetwork.supernet(4, 3, 10, true, true), 1, 8, 8, 5)) {
            double largest = SupernetGradients.check(net, 4, 10, ValueKind.MIX,
                    List.of(DartsNetwork.MIX_NORMAL, DartsNetwork.MIX_REDUCE), 14, 5e-4, 13);
            // dL/dalpha of cell 0 flows back through the partial-channel edges of cells 1 and 2 (slice,
            // bypass pool, concat, shuffle), so this also checks their activation-gradient routing.
            assertTrue(largest > 1e-3, "gradients too small to test anything: " + largest);
        }
    }

    @Test
    void nb201PartialChannelSupernetAlphaGradientMatchesFiniteDifferences() {
        try (Network net = new Network(Nb201Network.supernet(4, 1, 10, true), 1, 8, 8, 5)) {
            double largest = SupernetGradients.check(net, 4, 10, ValueKind.MIX, List.of(Nb201Network.MIX_NAME), 12,
                    5e-4, 19);
            assertTrue(largest > 1e-3, "gradients too small to test anything: " + largest);
        }
    }
}
