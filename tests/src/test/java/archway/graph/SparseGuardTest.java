package archway.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.ElementwiseKernels;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Candidates whose mixing weight is exactly zero are not computed: the arena is poisoned with NaN
 * before every run, so any skipped op whose stale output leaked into the result would show as NaN.
 */
class SparseGuardTest {
    /** Mixing weights with exact zeros: only skip and conv3x3 on even edges, conv1x1 and pool on odd ones. */
    private static double[] sparseRows() {
        double[] p = new double[30];
        for (int e = 0; e < 6; e++) {
            if (e % 2 == 0) {
                p[e * 5 + 1] = 0.4;
                p[e * 5 + 3] = 0.6;
            } else {
                p[e * 5 + 2] = 0.7;
                p[e * 5 + 4] = 0.3;
            }
        }
        return p;
    }

    private static void poison(Network net) {
        net.pass(4, Mode.EVAL).plan().buffer(net.pass(4, Mode.EVAL).logits());
        Workspace ws = net.workspace();
        ElementwiseKernels.fill(CpuBuffer.segment(ws.buffer()), ws.bytes() / Float.BYTES, Float.NaN);
    }

    @Test
    void zeroWeightCandidatesLeaveNoTraceForwardOrBackward() {
        try (Network net = TinyNets.supernet(7).sparseMix(true)) {
            TinyNets.setMix(net, sparseRows());
            Pass arch = net.pass(4, Mode.TRAIN, ValueKind.MIX, ValueKind.WEIGHT);
            TinyNets.randomBatch(arch, 8);
            arch.forward();
            poison(net);
            arch.forward();
            float loss = arch.loss();
            assertTrue(Float.isFinite(loss), "loss " + loss);
            arch.backward();
            MemorySegment g = CpuBuffer.segment(net.params().mixGrads());
            double[] p = sparseRows();
            for (int i = 0; i < 30; i++) {
                if (p[i] != 0) {
                    assertTrue(Float.isFinite(g.getAtIndex(ValueLayout.JAVA_FLOAT, i)), "dL/dp[" + i + "]");
                }
            }
            ParamStore ps = net.params();
            double s = ElementwiseKernels.sumsq(CpuBuffer.segment(ps.weightGrads()), ps.flatLength(ValueKind.WEIGHT));
            assertTrue(Double.isFinite(s) && s > 0, "weight gradient norm^2 " + s);
        }
    }

    @Test
    void skippedCandidatesDoNotChangeTheLoss() {
        // The same weights evaluated with a dense plan where the zero candidates are computed (times 0)
        // and with guards active must give the same loss.
        double dense, sparse;
        try (Network net = TinyNets.supernet(11)) {
            TinyNets.setMix(net, sparseRows());
            Pass p = net.pass(4, Mode.EVAL);
            TinyNets.randomBatch(p, 12);
            p.forward();
            dense = p.loss();
        }
        try (Network net = TinyNets.supernet(11).sparseMix(true)) {
            TinyNets.setMix(net, sparseRows());
            Pass p = net.pass(4, Mode.EVAL);
            TinyNets.randomBatch(p, 12);
            poison(net);
            p.forward();
            sparse = p.loss();
        }
        assertEquals(dense, sparse, 1e-6);
    }
}
