package archway.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.CpuLibrary;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.nn.Layers;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Concat, channel slice, channel shuffle and spatial shift as graph ops: forward against a plain Java
 * double reference, and dL/dx of a tiny plan (x -> op -> full-window conv -> GAP -> cross-entropy)
 * against central finite differences of the loss.
 */
class ChannelOpsTest {
    private static final int N = 2, C = 4, H = 3, W = 3;

    @Test
    void concatOfAValueWithItselfDuplicatesChannelsAndAddsBothGradients() {
        check(new int[] {N, C, H, W}, (g, x) -> Layers.concat(g, "cat", x, x), x -> {
            double[] y = new double[2 * x.length];
            for (int n = 0; n < N; n++) {
                System.arraycopy(x, n * C * H * W, y, n * 2 * C * H * W, C * H * W);
                System.arraycopy(x, n * C * H * W, y, n * 2 * C * H * W + C * H * W, C * H * W);
            }
            return y;
        });
    }

    @Test
    void sliceKeepsItsChannelsAndGivesTheOthersZeroGradient() {
        check(new int[] {N, C, H, W}, (g, x) -> Layers.channelSlice(g, "slice", x, 1, 2), x -> channels(x, C, 1, 2));
    }

    @Test
    void twoSlicesConcatenatedInSwappedOrderPermuteChannels() {
        check(new int[] {N, C, H, W}, (g, x) -> Layers.concat(g, "cat", Layers.channelSlice(g, "hi", x, 3, 1),
                Layers.channelSlice(g, "lo", x, 0, 3)), x -> {
            double[] hi = channels(x, C, 3, 1), lo = channels(x, C, 0, 3), y = new double[x.length];
            int hw = H * W;
            for (int n = 0; n < N; n++) {
                System.arraycopy(hi, n * hw, y, n * C * hw, hw);
                System.arraycopy(lo, n * 3 * hw, y, n * C * hw + hw, 3 * hw);
            }
            return y;
        });
    }

    @Test
    void shuffleInterleavesGroups() {
        int c = 8, groups = 4, cpg = c / groups, hw = H * W;
        check(new int[] {N, c, H, W}, (g, x) -> Layers.channelShuffle(g, "shuffle", x, groups), x -> {
            double[] y = new double[x.length];
            for (int n = 0; n < N; n++) {
                for (int gi = 0; gi < groups; gi++) {
                    for (int i = 0; i < cpg; i++) {
                        // PyTorch: view(N, groups, cpg, H, W).transpose(1, 2): out channel i*groups+g <- in g*cpg+i.
                        System.arraycopy(x, (n * c + gi * cpg + i) * hw, y, (n * c + i * groups + gi) * hw, hw);
                    }
                }
            }
            return y;
        });
    }

    @Test
    void shiftMovesTheWindowAndZeroFillsOutside() {
        for (int[] off : new int[][] {{1, 1}, {-1, 2}, {0, -1}}) {
            int h = 4, w = 4;
            check(new int[] {N, C, h, w}, (g, x) -> Layers.spatialShift(g, "shift", x, off[0], off[1]), x -> {
                double[] y = new double[x.length];
                for (int p = 0; p < N * C; p++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            int si = i + off[0], sj = j + off[1];
                            y[(p * h + i) * w + j] = si >= 0 && si < h && sj >= 0 && sj < w ? x[(p * h + si) * w + sj] : 0;
                        }
                    }
                }
                return y;
            });
        }
    }

    @Test
    void factorizedReduceHalvesResolutionAndItsGradientMatchesFiniteDifferences() {
        check(new int[] {N, C, 4, 4}, (g, x) -> {
            Value y = Layers.factorizedReduce(g, "fr", x, 6, true);
            assertArrayEquals(new int[] {N, 6, 2, 2}, y.shape());
            return y;
        }, null);
    }

    @Test
    void badShapesAreRejectedWhileTracing() {
        Graph g = new Graph(new ParamStore(1));
        Value x = g.input("x", 1, 6, 2, 2), other = g.input("o", 1, 2, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> Layers.channelSlice(g, "s", x, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> Layers.channelShuffle(g, "sh", x, 4));
        assertThrows(IllegalArgumentException.class, () -> Layers.concat(g, "c", x, other));
        assertThrows(IllegalArgumentException.class, () -> Layers.factorizedReduce(g, "fr", x, 5, false));
    }

    private static double[] channels(double[] x, int c, int from, int count) {
        int hw = x.length / (N * c);
        double[] y = new double[N * count * hw];
        for (int n = 0; n < N; n++) {
            System.arraycopy(x, (n * c + from) * hw, y, n * count * hw, count * hw);
        }
        return y;
    }

    /** Runs the forward check (when {@code reference} is given) and the finite-difference check of dL/dx. */
    private static void check(int[] xShape, BiFunction<Graph, Value, Value> op, UnaryOperator<double[]> reference) {
        CpuLibrary.setThreads(1);
        try (ParamStore p = new ParamStore(7); Workspace ws = new Workspace()) {
            Graph g = new Graph(p);
            ParamStore.Entry xe = p.weight("x", xShape, new Init.Normal(1f));
            Value y = op.apply(g, g.param(xe));
            Value head = Layers.conv(g, "head", y, 3, y.h(), 1, 0, 1, 1);
            assertEquals(1, head.h(), "the test head must see the whole output");
            Value logits = Layers.globalAvgPool(g, "gap", head);
            Value labels = g.labels(N);
            SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, labels);
            try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT), y)) {
                for (int i = 0; i < N; i++) {
                    CpuBuffer.segment(plan.input(labels)).setAtIndex(ValueLayout.JAVA_INT, i, (i * 2 + 1) % 3);
                }
                MemorySegment xs = CpuBuffer.segment(p.slice(xe));
                double[] x = read(xs);
                plan.forward();
                if (reference != null) {
                    double[] expected = reference.apply(x), got = read(CpuBuffer.segment(plan.buffer(y)));
                    assertArrayEquals(expected, got, 0.0, "forward");
                }
                plan.backward();
                double[] analytic = read(CpuBuffer.segment(p.gradSlice(xe)));
                LossGradientCheck.assertMatchesFiniteDifferences(plan, loss.loss(), xs, analytic, 1e-2);
            }
        }
    }

    private static double[] read(MemorySegment s) {
        float[] f = s.toArray(ValueLayout.JAVA_FLOAT);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
