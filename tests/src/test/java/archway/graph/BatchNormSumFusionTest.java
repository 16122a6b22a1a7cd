package archway.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * A training batch norm read only by a sum is applied inside the sum (statistics-only forward, one
 * bn_add, the normalised tensor never written): the loss, the node it feeds, every weight gradient and the
 * running statistics must be bit-identical to the unfused plan (-Darchway.plan.fuse=false), and a batch
 * norm with a second reader, or one the plan keeps, must stay unfused.
 */
class BatchNormSumFusionTest {
    private static final int N = 4;

    /** Everything a training step produces that fusion could change. */
    private record StepResult(List<String> labels, List<String> kernels, float loss, float[] node, float[] grads,
                              float[] state) {
    }

    @Test
    void fusedStepIsBitIdenticalToUnfused() {
        StepResult fused = step(true, false);
        StepResult plain = step(false, false);
        assertTrue(fused.labels().contains("FORWARD bn stats a.bn"), fused.labels().toString());
        assertTrue(fused.labels().contains("FORWARD bn stats b.bn"), fused.labels().toString());
        assertFalse(fused.labels().contains("FORWARD bn stats d.bn"), "d.bn has two readers: " + fused.labels());
        assertTrue(fused.kernels().contains("bn_add"), fused.kernels().toString());
        assertFalse(plain.kernels().contains("bn_add"), plain.kernels().toString());
        assertFalse(plain.labels().stream().anyMatch(l -> l.contains("bn stats")), plain.labels().toString());

        assertEquals(Float.floatToRawIntBits(plain.loss()), Float.floatToRawIntBits(fused.loss()), "loss");
        assertArrayEquals(plain.node(), fused.node(), "s = BN(a) + BN(b) + c");
        assertArrayEquals(plain.grads(), fused.grads(), "every weight gradient");
        assertArrayEquals(plain.state(), fused.state(), "running statistics after one step");
    }

    @Test
    void aKeptBatchNormOutputIsNotFused() {
        StepResult kept = step(true, true);
        assertFalse(kept.labels().contains("FORWARD bn stats a.bn"), "a.bn's output is kept: " + kept.labels());
        assertTrue(kept.labels().contains("FORWARD bn stats b.bn"), kept.labels().toString());
    }

    /** One forward and backward of a fresh network (same seed each time), fusion on or off. */
    private static StepResult step(boolean fuse, boolean keepA) {
        CpuLibrary.setThreads(2);
        return StepReadout.withProperty("archway.plan.fuse", Boolean.toString(fuse), () -> {
            try (ParamStore p = new ParamStore(21); Workspace ws = new Workspace()) {
                Graph g = new Graph(p);
                ParamStore.Entry xe = p.weight("x", new int[] {N, 3, 6, 6}, new Init.Normal(1f));
                Value x = g.param(xe);
                Value a = Layers.bn(g, "a.bn", Layers.conv(g, "a", x, 4, 3, 1, 1, 1, 1), true);   // read by s alone
                Value b = Layers.bn(g, "b.bn", Layers.conv(g, "b", x, 4, 1, 1, 0, 1, 1), false);  // non-affine
                Value c = Layers.conv(g, "c", x, 4, 1, 1, 0, 1, 1);                               // a plain term
                Value d = Layers.bn(g, "d.bn", Layers.conv(g, "d", x, 4, 3, 1, 1, 1, 1), true);   // read by t and u
                Value s = SumOp.apply(g, "s", a, c, b);
                Value t = SumOp.apply(g, "t", s, d);
                Value u = SumOp.apply(g, "u", t, d);
                Value head = Layers.conv(g, "head", Layers.relu(g, "r", u), 5, 3, 1, 0, 1, 1);
                Value logits = Layers.globalAvgPool(g, "gap", head);
                Value labels = g.labels(N);
                SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, labels);
                Value[] keep = keepA ? new Value[] {s, a} : new Value[] {s};
                try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT), keep)) {
                    StepReadout.trainOnce(plan, labels, N);
                    float lossValue = plan.scalar(loss.loss());
                    float[] node = CpuBuffer.segment(plan.buffer(s)).toArray(ValueLayout.JAVA_FLOAT);
                    return new StepResult(plan.stepLabels(), plan.boundKernels(), lossValue, node,
                            StepReadout.weightGrads(p), StepReadout.runningState(p));
                }
            }
        });
    }
}
