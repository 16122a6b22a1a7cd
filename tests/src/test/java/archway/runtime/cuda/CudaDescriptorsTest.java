package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.BatchNormDesc;
import archway.bindings.cpu.Pool2dDesc;
import archway.runtime.BatchNormShape;
import archway.runtime.ConvShape;
import archway.runtime.PoolShape;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * The cuDNN descriptor parameters computed from kernel-call shapes: output sizes against a brute-force
 * count of window positions, packed NCHW strides by hand, filter dims for groups and depthwise, and the
 * batch-norm constants against the CPU kernels' descriptor.
 */
class CudaDescriptorsTest {
    /** Output positions o >= 0 whose dilated window [o s - p, o s - p + d (k - 1)] lies inside [-p, size - 1 + p]. */
    private static int countPositions(int size, int kernel, int stride, int pad, int dilation) {
        int count = 0;
        for (int o = 0; ; o++) {
            int last = o * stride - pad + dilation * (kernel - 1);
            if (last > size - 1 + pad) {
                return count;
            }
            count++;
        }
    }

    @Test
    void convOutputSizesMatchBruteForceOverASweep() {
        for (int h = 1; h <= 12; h++) {
            for (int k = 1; k <= 5; k += 2) {
                for (int s = 1; s <= 3; s++) {
                    for (int p = 0; p <= 2; p++) {
                        for (int d = 1; d <= 2; d++) {
                            if (h + 2 * p < d * (k - 1) + 1) {
                                continue;
                            }
                            ConvDescriptor c = ConvDescriptor.of(new ConvShape(2, 4, h, h + 1, 8, k, s, p, d, 1));
                            assertEquals(countPositions(h, k, s, p, d), c.y().h(), "h " + h + " k " + k + " s " + s);
                            assertEquals(countPositions(h + 1, k, s, p, d), c.y().w());
                        }
                    }
                }
            }
        }
    }

    @Test
    void convLayoutsAndFilterDimsByHand() {
        // x [2, 6, 7, 9], 3x3 dilation 2 stride 2 pad 1, groups 3, 12 filters.
        ConvDescriptor c = ConvDescriptor.of(new ConvShape(2, 6, 7, 9, 12, 3, 2, 1, 2, 3));
        assertEquals(new TensorLayout(2, 6, 7, 9, 6 * 63, 63, 9, 1), c.x());
        // oh = (7 + 2 - 5) / 2 + 1 = 3, ow = (9 + 2 - 5) / 2 + 1 = 4
        assertEquals(new TensorLayout(2, 12, 3, 4, 12 * 12, 12, 4, 1), c.y());
        assertEquals(12, c.filterK());
        assertEquals(2, c.filterC());
        assertEquals(3, c.filterH());
        assertEquals(12L * 2 * 9, c.filterElements());
        assertEquals(3, c.groups());
        assertFalse(c.depthwise());
        ConvDescriptor dw = ConvDescriptor.of(new ConvShape(1, 16, 8, 8, 16, 3, 1, 1, 1, 16));
        assertTrue(dw.depthwise());
        assertEquals(1, dw.filterC());
        assertEquals(new TensorLayout(1, 16, 8, 8, 1024, 64, 8, 1), dw.y());
    }

    @Test
    void convRejectsIndivisibleGroupsAndEmptyOutputs() {
        assertThrows(IllegalArgumentException.class, () -> ConvDescriptor.of(new ConvShape(1, 6, 8, 8, 8, 3, 1, 1, 1, 4)));
        assertThrows(IllegalArgumentException.class, () -> ConvDescriptor.of(new ConvShape(1, 4, 2, 2, 4, 5, 1, 0, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ConvDescriptor.of(new ConvShape(1, 4, 8, 8, 4, 3, 0, 1, 1, 1)));
    }

    @Test
    void poolOutputSizesMatchTheCpuDescriptorAndBruteForce() {
        try (Arena arena = Arena.ofConfined()) {
            for (int h = 1; h <= 12; h++) {
                for (int k = 1; k <= 4; k++) {
                    for (int s = 1; s <= 3; s++) {
                        for (int p = 0; p <= k / 2; p++) {
                            if (h + 2 * p < k) {
                                continue;
                            }
                            PoolDescriptor d = PoolDescriptor.of(new PoolShape(2, 3, h, h, k, s, p, false));
                            Pool2dDesc cpu = Pool2dDesc.square(arena, 2, 3, h, h, k, s, p, false);
                            assertEquals(cpu.oh, d.y().h());
                            assertEquals(cpu.ow, d.y().w());
                            assertEquals(countPositions(h, k, s, p, 1), d.y().h());
                            assertEquals(TensorLayout.packed(2, 3, d.y().h(), d.y().w()), d.y());
                        }
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PoolDescriptor.of(new PoolShape(1, 1, 8, 8, 3, 1, 2, false)));
    }

    @Test
    void batchNormDescribesActivationAsNchwWithUnitWidthAndParamsPerChannel() {
        BatchNormDescriptor d = BatchNormDescriptor.of(new BatchNormShape(4, 5, 36));
        assertEquals(new TensorLayout(4, 5, 36, 1, 180, 36, 1, 1), d.x());
        assertEquals(new TensorLayout(1, 5, 1, 1, 5, 1, 1, 1), d.params());
        try (Arena arena = Arena.ofConfined()) {
            BatchNormDesc cpu = BatchNormDesc.of(arena, 4, 5, 36);
            assertEquals(cpu.eps, (float) d.eps());
            assertEquals(cpu.momentum, (float) d.momentum());
        }
        assertThrows(IllegalArgumentException.class, () -> BatchNormDescriptor.of(new BatchNormShape(1, 3, 1)));
    }
}
