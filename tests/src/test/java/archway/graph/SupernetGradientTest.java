package archway.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End-to-end reverse mode through the planned NB201 networks against finite differences of the loss,
 * as directional derivatives: for a unit direction u, (L(x + h u) - L(x - h u)) / 2h must equal
 * <grad, u>. Directions: the gradient itself and random ones. Tiny networks with batch statistics
 * over few elements are strongly curved, so h is small (1e-4); the float32 loss then carries about
 * 1e-7 / 1e-4 = 1e-3 of rounding noise in the quotient, which the 1e-2 + 2% tolerance covers.
 */
class SupernetGradientTest {
    private static final double H = 1e-4;

    /** Checks the gradient in {@code grad} of the pass's loss w.r.t. the n floats of {@code x}. */
    private static void checkDirectional(Pass pass, MemorySegment x, MemorySegment grad, long n, String what) {
        double[] g = new double[(int) n];
        for (int i = 0; i < n; i++) {
            g[i] = grad.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        float[] orig = new float[(int) n];
        for (int i = 0; i < n; i++) {
            orig[i] = x.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        java.util.Random rnd = new java.util.Random(17);
        for (int d = 0; d < 4; d++) {
            double[] u = new double[(int) n];
            double norm = 0;
            for (int i = 0; i < n; i++) {
                u[i] = d == 0 ? g[i] : rnd.nextGaussian();
                norm += u[i] * u[i];
            }
            norm = Math.sqrt(norm);
            double expected = 0;
            for (int i = 0; i < n; i++) {
                u[i] /= norm;
                expected += g[i] * u[i];
            }
            double lp = lossAt(pass, x, orig, u, H), lm = lossAt(pass, x, orig, u, -H);
            double fd = (lp - lm) / (2 * H);
            assertEquals(expected, fd, 1e-2 + 0.02 * Math.abs(expected), what + " direction " + d);
        }
        for (int i = 0; i < n; i++) {
            x.setAtIndex(ValueLayout.JAVA_FLOAT, i, orig[i]);
        }
    }

    private static double lossAt(Pass pass, MemorySegment x, float[] orig, double[] u, double h) {
        for (int i = 0; i < orig.length; i++) {
            x.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (orig[i] + h * u[i]));
        }
        pass.forward();
        return pass.loss();
    }

    @Test
    void mixGradientMatchesFiniteDifferences() {
        try (Network net = TinyNets.supernet(3)) {
            TinyNets.setMix(net, TinyNets.uniformRows(6, 5));
            Pass arch = net.pass(8, Mode.TRAIN, ValueKind.MIX);
            TinyNets.randomBatch(arch, 5);
            arch.forward();
            arch.backward();
            checkDirectional(arch, CpuBuffer.segment(net.params().mix()), CpuBuffer.segment(net.params().mixGrads()), 30, "dL/dp");
        }
    }

    @Test
    void supernetWeightGradientMatchesFiniteDifferences() {
        try (Network net = TinyNets.supernet(4)) {
            TinyNets.setMix(net, TinyNets.uniformRows(6, 5));
            Pass train = net.pass(8, Mode.TRAIN, ValueKind.WEIGHT);
            TinyNets.randomBatch(train, 6);
            train.forward();
            train.backward();
            ParamStore ps = net.params();
            checkDirectional(train, CpuBuffer.segment(ps.weights()), CpuBuffer.segment(ps.weightGrads()), ps.flatLength(ValueKind.WEIGHT), "dL/dw");
        }
    }

    @Test
    void discreteWeightGradientMatchesFiniteDifferences() {
        // Every op once, nodes with several consumers, a skip edge aliasing the cell input.
        int[] ops = {3, 2, 4, 1, 3, 2};
        try (Network net = new Network(archway.spaces.nb201.Nb201Network.discrete(ops, 2, 1, TinyNets.CLASSES),
                1, 8, 8, 9)) {
            Pass train = net.pass(8, Mode.TRAIN, ValueKind.WEIGHT);
            TinyNets.randomBatch(train, 10);
            train.forward();
            train.backward();
            ParamStore ps = net.params();
            checkDirectional(train, CpuBuffer.segment(ps.weights()), CpuBuffer.segment(ps.weightGrads()), ps.flatLength(ValueKind.WEIGHT), "dL/dw");
        }
    }

    @Test
    void alphaOnlyPlanComputesNoConvolutionWeightGradients() {
        try (Network net = TinyNets.supernet(1)) {
            List<String> arch = net.pass(4, Mode.TRAIN, ValueKind.MIX).plan().stepLabels();
            List<String> weights = net.pass(4, Mode.TRAIN, ValueKind.WEIGHT).plan().stepLabels();
            List<String> fwd = net.pass(4, Mode.EVAL).plan().stepLabels();
            assertFalse(arch.stream().anyMatch(s -> s.contains("conv dw")), "arch plan computes conv weight grads");
            assertTrue(arch.stream().anyMatch(s -> s.contains("mixed bwd")));
            assertTrue(weights.stream().anyMatch(s -> s.contains("conv dw")));
            assertFalse(fwd.stream().anyMatch(s -> s.startsWith("BACKWARD")), "forward-only plan has backward steps");
        }
    }

    @Test
    void plannerSharesMemoryBetweenDisjointLifetimes() {
        try (Network net = TinyNets.supernet(1)) {
            Plan train = net.pass(8, Mode.TRAIN, ValueKind.WEIGHT).plan();
            Plan eval = net.pass(8, Mode.EVAL).plan();
            assertTrue(train.arenaBytes() < train.unsharedBytes(), "training plan shares nothing");
            // Forward-only: activations die as soon as their consumer ran, so far less memory is needed.
            assertTrue(eval.arenaBytes() * 3 < eval.unsharedBytes(),
                    "eval arena " + eval.arenaBytes() + " vs unshared " + eval.unsharedBytes());
        }
    }
}
