package archway.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.ElementwiseKernels;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.cpu.CpuBuffer;
import archway.spaces.nb201.Nb201Network;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Sparsemax's exact zeros skip work: with every conv_1x1 candidate's weights poisoned with NaN, a forward
 * and a weight+mix backward stay finite when those candidates' mixing weights are exactly 0 (their convs,
 * BNs and gradient steps never ran), and turn NaN as soon as the weights are slightly positive (control).
 */
class ZoZeroWeightSkipTest {
    @Test
    void zeroWeightCandidatesRunNeitherForwardNorBackward() {
        try (Network net = new Network(Nb201Network.supernet(4, 1, 10), 1, 8, 8, 3).sparseMix(true)) {
            ParamStore params = net.params();
            for (ParamStore.Entry e : params.entries()) {
                if (e.name().contains("conv1x1") && e.kind() == ValueKind.WEIGHT) {
                    ElementwiseKernels.fill(CpuBuffer.segment(params.slice(e)), e.size(), Float.NaN);
                }
            }
            Pass pass = net.pass(2, Mode.TRAIN, EnumSet.of(ValueKind.WEIGHT, ValueKind.MIX));
            MemorySegment img = CpuBuffer.segment(pass.images());
            for (int i = 0; i < 2 * 64; i++) {
                img.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i));
            }
            CpuBuffer.segment(pass.labels()).setAtIndex(ValueLayout.JAVA_INT, 0, 1);
            CpuBuffer.segment(pass.labels()).setAtIndex(ValueLayout.JAVA_INT, 1, 7);

            writeRows(params, 0f);
            pass.forward();
            assertTrue(Float.isFinite(pass.loss()), "loss " + pass.loss());
            pass.backward();
            assertTrue(finite(params, ValueKind.WEIGHT, "conv1x1"), "weight gradients of the other ops");
            assertTrue(finite(params, ValueKind.MIX, null), "mix gradients");

            writeRows(params, 1e-3f);
            pass.forward();
            pass.backward();
            assertFalse(Float.isFinite(pass.loss()) && finite(params, ValueKind.WEIGHT, "conv1x1"),
                    "control: a positive weight must run the poisoned convolution");
        }
    }

    /** Every edge: (none, skip, conv1x1, conv3x3, avgpool) = (0.2, 0.3, w, 0.3, 0.2 - w). */
    private static void writeRows(ParamStore params, float w) {
        MemorySegment mix = CpuBuffer.segment(params.mix());
        for (int e = 0; e < Nb201Network.EDGES; e++) {
            float[] row = {0.2f, 0.3f, w, 0.3f, 0.2f - w};
            for (int k = 0; k < row.length; k++) {
                mix.setAtIndex(ValueLayout.JAVA_FLOAT, (long) e * row.length + k, row[k]);
            }
        }
    }

    private static boolean finite(ParamStore params, ValueKind kind, String skipName) {
        for (ParamStore.Entry e : params.entries()) {
            if (e.kind() != kind || (skipName != null && e.name().contains(skipName))) {
                continue;
            }
            MemorySegment g = CpuBuffer.segment(params.gradSlice(e));
            for (long i = 0; i < e.size(); i++) {
                if (!Float.isFinite(g.getAtIndex(ValueLayout.JAVA_FLOAT, i))) {
                    return false;
                }
            }
        }
        return true;
    }
}
