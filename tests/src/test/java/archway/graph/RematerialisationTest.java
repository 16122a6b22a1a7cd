package archway.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.CpuLibrary;
import archway.graph.ops.ActivationOp;
import archway.graph.ops.ChannelScaleOp;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.nn.Layers;
import archway.runtime.Activation;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rematerialisation of an inverted-residual block (1x1 expand -> BN -> h-swish -> depthwise -> BN -> h-swish
 * -> squeeze-excite scale -> 1x1 project -> BN): backward recomputes each chain batch norm -> activation
 * (-> channel scale) from the convolution's output it keeps anyway, so only the convolution outputs live
 * from forward to backward. The step must be bit-identical to the plan without recomputation
 * (-Darchway.plan.remat=false), and the arena smaller by at least two activation-sized tensors per block
 * in each of three blocks.
 */
class RematerialisationTest {
    private static final int N = 4, C = 4, MID = 12, HW = 6, BLOCKS = 3;

    private record StepResult(List<String> labels, long arenaBytes, float loss, float[] grads, float[] state) {
    }

    @Test
    void chainsAreRecomputedBitIdentically() {
        StepResult on = step(true);
        StepResult off = step(false);
        List<String> l = on.labels();
        assertFalse(off.labels().stream().anyMatch(s -> s.contains("recompute")), off.labels().toString());
        // each chain link is recomputed, inputs before what reads them
        for (String[] chain : new String[][] {{"e.bn", "e.act"}, {"dw.bn", "dw.act", "se.scale"}}) {
            int prev = -1;
            for (String name : chain) {
                int at = l.indexOf("BACKWARD recompute " + name);
                assertTrue(at > prev, name + " recomputed after its input (" + prev + "): "
                        + l.stream().filter(s -> s.contains("recompute")).toList());
                prev = at;
            }
        }
        assertEquals(Float.floatToRawIntBits(off.loss()), Float.floatToRawIntBits(on.loss()), "loss");
        assertArrayEquals(off.grads(), on.grads(), "every weight gradient");
        assertArrayEquals(off.state(), on.state(), "running statistics");
        // at the start of backward: per block, the activation and channel-scale tensors are no longer kept
        long saved = BLOCKS * 2L * N * MID * HW * HW * Float.BYTES;
        assertTrue(on.arenaBytes() + saved <= off.arenaBytes(),
                "arena " + on.arenaBytes() + " with recomputation, " + off.arenaBytes() + " without");
    }

    private static StepResult step(boolean remat) {
        CpuLibrary.setThreads(2);
        return StepReadout.withProperty("archway.plan.remat", Boolean.toString(remat), () -> {
            try (ParamStore p = new ParamStore(5); Workspace ws = new Workspace()) {
                Graph g = new Graph(p);
                Value h = g.param(p.weight("x", new int[] {N, C, HW, HW}, new Init.Normal(1f)));
                for (int b = 0; b < BLOCKS; b++) {
                    h = block(g, b == 0 ? "" : "b" + b + ".", h);
                }
                Value logits = Layers.linear(g, "fc", Layers.globalAvgPool(g, "gap", h), 5);
                Value labels = g.labels(N);
                SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, labels);
                try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT))) {
                    StepReadout.trainOnce(plan, labels, N);
                    return new StepResult(plan.stepLabels(), plan.arenaBytes(), plan.scalar(loss.loss()),
                            StepReadout.weightGrads(p), StepReadout.runningState(p));
                }
            }
        });
    }

    /** One inverted-residual block; block 0's values are named without a prefix. */
    private static Value block(Graph g, String prefix, Value x) {
        Value h = Layers.bn(g, prefix + "e.bn", Layers.conv(g, prefix + "e", x, MID, 1, 1, 0, 1, 1), true);
        h = ActivationOp.apply(g, prefix + "e.act", Activation.HSWISH, h);
        h = Layers.bn(g, prefix + "dw.bn", Layers.conv(g, prefix + "dw", h, MID, 3, 1, 1, 1, MID), true);
        h = ActivationOp.apply(g, prefix + "dw.act", Activation.HSWISH, h);
        Value z = Layers.linear(g, prefix + "se.reduce", Layers.globalAvgPool(g, prefix + "se.pool", h), 3);
        z = ActivationOp.apply(g, prefix + "se.relu", Activation.RELU, z);
        z = ActivationOp.apply(g, prefix + "se.gate", Activation.HSIGMOID, Layers.linear(g, prefix + "se.expand", z, MID));
        h = ChannelScaleOp.apply(g, prefix + "se.scale", h, z);
        return Layers.bn(g, prefix + "p.bn", Layers.conv(g, prefix + "p", h, C, 1, 1, 0, 1, 1), true);
    }
}
