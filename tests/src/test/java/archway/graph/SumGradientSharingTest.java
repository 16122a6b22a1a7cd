package archway.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.bindings.cpu.CpuLibrary;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.graph.ops.SumOp;
import archway.nn.Layers;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sums: three inputs added in one pass with the bits of two, and an input read by a sum alone taking the
 * sum's gradient buffer (no copy step), while an input read twice still gets its own accumulated
 * gradient. The gradient of the input tensor is checked against central differences of the loss.
 */
class SumGradientSharingTest {
    private static final int N = 2;

    @Test
    void sharedAndOwnGradientsMatchFiniteDifferences() {
        CpuLibrary.setThreads(1);
        try (ParamStore p = new ParamStore(11); Workspace ws = new Workspace()) {
            Graph g = new Graph(p);
            ParamStore.Entry xe = p.weight("x", new int[] {N, 2, 3, 3}, new Init.Normal(1f));
            Value x = g.param(xe);
            Value a = Layers.conv(g, "a", x, 2, 3, 1, 1, 1, 1);   // read by s alone
            Value b = Layers.conv(g, "b", x, 2, 1, 1, 0, 1, 1);   // read by s alone
            Value c = Layers.conv(g, "c", x, 2, 1, 1, 0, 1, 1);   // read by s and t
            Value s = SumOp.apply(g, "s", a, b, c);                // read by t alone
            Value t = SumOp.apply(g, "t", s, c);
            Value head = Layers.conv(g, "head", t, 3, 3, 1, 0, 1, 1);
            Value logits = Layers.globalAvgPool(g, "gap", head);
            Value labels = g.labels(N);
            SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, labels);
            try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT), a, b, c, s)) {
                List<String> labelsOfSteps = plan.stepLabels();
                assertEquals(1, labelsOfSteps.stream().filter(l -> l.equals("BACKWARD sum bwd s")).count(),
                        "only c, read twice, has a gradient step of its own in s: " + labelsOfSteps);
                assertEquals(1, labelsOfSteps.stream().filter(l -> l.equals("BACKWARD sum bwd t")).count(),
                        "only c has a gradient step of its own in t: " + labelsOfSteps);
                for (int i = 0; i < N; i++) {
                    CpuBuffer.segment(plan.input(labels)).setAtIndex(ValueLayout.JAVA_INT, i, i % 3);
                }
                MemorySegment xs = CpuBuffer.segment(p.slice(xe));
                plan.forward();
                float[] va = floats(plan, a), vb = floats(plan, b), vc = floats(plan, c), vs = floats(plan, s);
                float[] expected = new float[vs.length];
                for (int i = 0; i < vs.length; i++) {
                    expected[i] = (va[i] + vb[i]) + vc[i];
                }
                assertArrayEquals(expected, vs, "s = (a + b) + c, rounded in that order");
                plan.backward();
                float[] grad = CpuBuffer.segment(p.gradSlice(xe)).toArray(ValueLayout.JAVA_FLOAT);
                double[] analytic = new double[grad.length];
                for (int i = 0; i < grad.length; i++) {
                    analytic[i] = grad[i];
                }
                LossGradientCheck.assertMatchesFiniteDifferences(plan, loss.loss(), xs, analytic, 1e-2);
            }
        }
    }

    private static float[] floats(Plan plan, Value v) {
        return CpuBuffer.segment(plan.buffer(v)).toArray(ValueLayout.JAVA_FLOAT);
    }
}
