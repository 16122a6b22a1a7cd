package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.readD;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.ChannelKernels;
import archway.bindings.cpu.SizeVariableKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Centre crop and channel bias of the size-variable network against Java references and adjoints. */
class SizeVariableKernelsTest {
    private static double[] cropRef(double[] full, int planes, int big, int k) {
        int off = (big - k) / 2;
        double[] y = new double[planes * k * k];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    y[(p * k + i) * k + j] = full[(p * big + off + i) * big + off + j];
                }
            }
        }
        return y;
    }

    @Test
    void cropTakesTheCentreAndItsBackwardIsTheAdjoint() {
        Random r = new Random(8);
        int planes = 6, big = 7;
        for (int k : new int[] {1, 3, 5, 7}) {
            try (Arena arena = Arena.ofConfined()) {
                double[] full = randn(r, planes * big * big, 1), dcrop = randn(r, planes * k * k, 1);
                MemorySegment fs = floats(arena, full), cs = zeros(arena, (long) planes * k * k);
                SizeVariableKernels.cropFwd(fs, cs, planes, big, k, false);
                double[] expected = cropRef(full, planes, big, k);
                assertArrayEquals(KernelTesting.toFloat(expected), read(cs), "crop k=" + k);
                SizeVariableKernels.cropFwd(fs, cs, planes, big, k, true);
                assertArrayEquals(KernelTesting.toFloat(KernelTesting.add(expected, expected)), read(cs), "crop acc k=" + k);
                // Backward = adjoint: <crop(x), r> = <x, crop_bwd(r)> for every x, so crop_bwd(r) is the
                // numerical gradient of x -> <crop(x), r>.
                MemorySegment dfull = floats(arena, randn(r, planes * big * big, 1));
                SizeVariableKernels.cropBwd(floats(arena, dcrop), dfull, planes, big, k, false);
                double[] grad = numericGrad(x -> cropRef(x, planes, big, k), full, dcrop, 1e-3);
                assertClose(grad, readD(dfull), 1e-9, "crop bwd k=" + k);
                // Same result as the channel_copy composition that SizeVariableCropOp uses today.
                MemorySegment viaCopy = zeros(arena, (long) planes * k * k);
                int off = (big - k) / 2;
                for (int i = 0; i < k; i++) {
                    ChannelKernels.channelCopy(fs, viaCopy, planes, big * big, (off + i) * big + off, k * k, i * k, k, 1,
                            false);
                }
                assertArrayEquals(KernelTesting.toFloat(expected), read(viaCopy), "channel_copy composition k=" + k);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = zeros(arena, 49), c = zeros(arena, 4);
            assertThrows(IllegalArgumentException.class, () -> SizeVariableKernels.cropFwd(f, c, 1, 7, 2, false));
        }
    }

    @Test
    void biasAddsPerChannelAndItsGradientSumsOverSamplesAndPixels() {
        Random r = new Random(9);
        int n = 3, c = 5, hw = 37;
        double[] x = randn(r, n * c * hw, 1), b = randn(r, c, 1), dy = randn(r, n * c * hw, 1);
        java.util.function.Function<double[], double[]> f = bias -> {
            double[] y = new double[n * c * hw];
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i] + bias[(i / hw) % c];
            }
            return y;
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment y = zeros(arena, (long) n * c * hw);
            SizeVariableKernels.biasFwd(floats(arena, x), floats(arena, b), y, n, c, hw);
            assertArrayEquals(KernelTesting.toFloat(f.apply(b)), read(y));
            MemorySegment db = floats(arena, new double[] {1, 2, 3, 4, 5});
            SizeVariableKernels.biasBwd(floats(arena, dy), db, n, c, hw, false);
            double[] grad = numericGrad(f, b, dy, 1e-3);
            assertClose(grad, readD(db), 1e-6, "db");
            SizeVariableKernels.biasBwd(floats(arena, dy), db, n, c, hw, true);
            assertClose(KernelTesting.add(grad, grad), readD(db), 1e-6, "db accumulated");
            assertEquals(5, read(db).length);
        }
    }
}
