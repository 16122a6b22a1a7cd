package archway.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.CpuLibrary;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.graph.ops.SumOp;
import archway.nn.Layers;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plan pass that runs two 3x3 convolutions of one input as one call (the edges leaving a cell node):
 * with it on, the plan holds one sibling call per pass for each pair (ReLU-input and plain pairs, an
 * uneven 16 + 32 split, a pair whose input gradient it writes first) and a node with three ReLU-input
 * convolutions keeps the third alone. Against the plan
 * without it (-Darchway.plan.siblings=false), at 28 px where the merged Winograd kernels run: the loss,
 * the node, the siblings' weight gradients and the gradients upstream of their shared input agree to
 * rounding (a wrong overwrite/accumulate flag or operand shows as differences of the gradients' size).
 */
class SiblingConvolutionsTest {
    private static final int N = 2;

    private record StepResult(List<String> kernels, float loss, float[] node, float[] siblingGrads, float[] stemGrads) {
    }

    @Test
    void mergedStepMatchesSeparateConvolutions() {
        StepResult merged = step(true);
        StepResult plain = step(false);
        for (String k : List.of("conv2d_siblings_fwd", "conv2d_siblings_bwd_data", "conv2d_siblings_bwd_filter")) {
            assertEquals(3, merged.kernels().stream().filter(k::equals).count(), k + " in " + merged.kernels());
            assertFalse(plain.kernels().contains(k), plain.kernels().toString());
        }
        // The third ReLU-input convolution of h (r) stays alone, as do the stem and the head.
        assertEquals(1, merged.kernels().stream().filter("conv2d_relu_in_fwd"::equals).count(), merged.kernels().toString());

        // The merged kernels may tile differently (F(4x4) for a pair where one convolution takes F(2x2)) and
        // sum the shared input's gradient in one pass: equal to rounding (SiblingConvKernelTest has the
        // bit-level checks per kernel).
        assertClose(new float[] {plain.loss()}, new float[] {merged.loss()}, "loss");
        assertClose(plain.node(), merged.node(), "the node summing the siblings");
        assertClose(plain.siblingGrads(), merged.siblingGrads(), "the siblings' weight gradients");
        assertClose(plain.stemGrads(), merged.stemGrads(), "stem and input gradients");
    }

    private static void assertClose(float[] a, float[] b, String what) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        assertTrue(scale > 0 && diff <= 1e-5 * scale, what + ": max diff " + diff + " of " + scale);
    }

    /** One forward and backward of a fresh network (same seed each time), the pass on or off. */
    private static StepResult step(boolean siblings) {
        CpuLibrary.setThreads(2);
        return StepReadout.withProperty("archway.plan.siblings", Boolean.toString(siblings), () -> {
            try (ParamStore p = new ParamStore(5); Workspace ws = new Workspace()) {
                Graph g = new Graph(p);
                Value x = g.param(p.weight("x", new int[] {N, 16, 28, 28}, new Init.Normal(1f)));
                Value h = Layers.conv(g, "stem", x, 16, 3, 1, 1, 1, 1);
                Value a = Layers.reluConv(g, "a", h, 16, 3, 1, 1, 1, 1);
                Value b = Layers.reluConv(g, "b", h, 32, 3, 1, 1, 1, 1);
                Value r = Layers.reluConv(g, "r", h, 16, 3, 1, 1, 1, 1);
                Value pc = Layers.conv(g, "p", h, 16, 3, 1, 1, 1, 1);
                Value qc = Layers.conv(g, "q", h, 16, 3, 1, 1, 1, 1);
                Value b16 = Layers.conv(g, "b16", b, 16, 1, 1, 0, 1, 1);
                // A pair whose input has no other reader: the merged data gradient writes it first (overwrites).
                Value mid = Layers.conv(g, "mid", h, 16, 3, 1, 1, 1, 1);
                Value c1 = Layers.reluConv(g, "c1", mid, 16, 3, 1, 1, 1, 1);
                Value c2 = Layers.reluConv(g, "c2", mid, 16, 3, 1, 1, 1, 1);
                Value s = SumOp.apply(g, "s", a, b16, r, pc, qc, h, c1, c2);
                Value head = Layers.conv(g, "head", Layers.relu(g, "relu", s), 5, 3, 1, 0, 1, 1);
                Value logits = Layers.globalAvgPool(g, "gap", head);
                Value labels = g.labels(N);
                SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, labels);
                try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT), s)) {
                    StepReadout.trainOnce(plan, labels, N);
                    float lossValue = plan.scalar(loss.loss());
                    float[] node = CpuBuffer.segment(plan.buffer(s)).toArray(ValueLayout.JAVA_FLOAT);
                    return new StepResult(plan.boundKernels(), lossValue, node,
                            grads(p, "a.weight", "b.weight", "r.weight", "p.weight", "q.weight", "c1.weight", "c2.weight"),
                            grads(p, "stem.weight", "mid.weight", "x"));
                }
            }
        });
    }

    private static float[] grads(ParamStore p, String... names) {
        java.util.List<Float> all = new java.util.ArrayList<>();
        for (String name : names) {
            for (float v : CpuBuffer.segment(p.gradSlice(p.entry(name))).toArray(ValueLayout.JAVA_FLOAT)) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
