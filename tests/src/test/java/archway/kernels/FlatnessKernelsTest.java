package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.ElementwiseKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flatness and adaptive-SAM elementwise kernels against double-precision references. */
class FlatnessKernelsTest {
    @Test
    void weightNoiseIsMultiplicativeAndMayWriteInPlace() {
        Random r = new Random(1);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {0, 1, 7, 100_003}) {
                double[] w = randn(r, n, 0.5), eps = randn(r, n, 1);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = w[i] + 0.05 * w[i] * eps[i];
                }
                MemorySegment sw = floats(arena, w), se = floats(arena, eps), y = zeros(arena, n);
                ElementwiseKernels.weightNoise(sw, se, y, n, 0.05f);
                assertClose(expected, read(y), 1e-6, "weight noise n=" + n);
                ElementwiseKernels.weightNoise(sw, se, sw, n, 0.05f);   // in place
                assertClose(expected, read(sw), 1e-6, "weight noise in place n=" + n);
            }
        }
    }

    @Test
    void asamDirectionScalesByTheSquaredWeightMagnitude() {
        Random r = new Random(2);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {0, 3, 65_537}) {
                double[] w = randn(r, n, 1), g = randn(r, n, 1);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    double t = Math.abs(w[i]) + 0.01;
                    expected[i] = t * t * g[i];
                }
                MemorySegment y = zeros(arena, n);
                ElementwiseKernels.asamDirection(floats(arena, w), floats(arena, g), y, n, 0.01f);
                assertClose(expected, read(y), 1e-6, "asam direction n=" + n);
            }
        }
    }

    @Test
    void shortBuffersAreRejectedInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = zeros(arena, 4), big = zeros(arena, 8);
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.weightNoise(big, small, big, 8, 0.1f));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.asamDirection(big, big, small, 8, 0.1f));
        }
    }
}
