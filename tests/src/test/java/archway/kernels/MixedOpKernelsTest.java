package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.MixedOpKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fused DARTS edge: skipping of "none" and zero-weight candidates, gradients, reproducibility. */
class MixedOpKernelsTest {
    private static final int K = 5;
    private static final int NONE = 1;   // candidate 1 is op "none" (NULL)
    private static final int ZERO = 3;   // candidate 3 has weight exactly 0

    static double[] ref(double[][] xs, double[] w, int n) {
        double[] y = new double[n];
        for (int k = 0; k < xs.length; k++) {
            if (xs[k] != null) {
                for (int i = 0; i < n; i++) {
                    y[i] += w[k] * xs[k][i];
                }
            }
        }
        return y;
    }

    @Test
    void forwardBackwardAgainstReference() {
        Random r = new Random(41);
        for (int n : new int[] {1, 37, 100_003}) {
            try (Arena arena = Arena.ofConfined()) {
                double[][] xs = new double[K][];
                MemorySegment[] segs = new MemorySegment[K];
                for (int k = 0; k < K; k++) {
                    if (k != NONE) {
                        xs[k] = randn(r, n, 1);
                        segs[k] = floats(arena, xs[k]);
                    } else {
                        segs[k] = MemorySegment.NULL;
                    }
                }
                double[] w = randn(r, K, 1);
                w[ZERO] = 0;
                MemorySegment ptrs = MixedOpKernels.pointerArray(arena, n, segs), sw = floats(arena, w);
                MemorySegment y = zeros(arena, n);
                MixedOpKernels.mixedFwd(ptrs, sw, K, n, y, false);
                double[] expected = ref(xs, w, n);
                assertClose(expected, read(y), 1e-6, "fwd n=" + n);
                MixedOpKernels.mixedFwd(ptrs, sw, K, n, y, true);
                assertClose(KernelTesting.add(expected, expected), read(y), 1e-6, "fwd accumulate n=" + n);

                double[] dy = randn(r, n, 1);
                MemorySegment sdy = floats(arena, dy), dw = zeros(arena, K);
                MemorySegment[] dxs = new MemorySegment[K];
                for (int k = 0; k < K; k++) {
                    dxs[k] = zeros(arena, n);
                    ElementwiseKernels.fill(dxs[k], n, 7f); // sentinel: must survive where nothing is written
                }
                MixedOpKernels.mixedBwd(ptrs, sw, K, n, sdy, MixedOpKernels.pointerArray(arena, n, dxs), dw, false, false);
                // dw[k] = <dy, xs[k]> for every non-NULL candidate, the zero-weight one included; "none" gets 0.
                double[] dwExpected = new double[K];
                for (int k = 0; k < K; k++) {
                    dwExpected[k] = xs[k] == null ? 0 : KernelTesting.dot(dy, xs[k]);
                }
                assertClose(dwExpected, read(dw), 1e-6, "dw n=" + n);
                if (n < 100) {
                    assertClose(numericGrad(v -> ref(xs, v, n), w, dy, 1e-3), read(dw), 1e-5, "dw vs FD n=" + n);
                }
                for (int k = 0; k < K; k++) {
                    float[] got = read(dxs[k]);
                    if (k == ZERO) {
                        for (float v : got) {
                            assertEquals(7f, v, "zero-weight dx must not be written");
                        }
                    } else {
                        double[] e = new double[n];
                        for (int i = 0; i < n; i++) {
                            e[i] = w[k] * dy[i];
                        }
                        assertClose(e, got, 1e-7, "dx[" + k + "] n=" + n);
                    }
                }
                MixedOpKernels.mixedBwd(ptrs, sw, K, n, sdy, MemorySegment.NULL, dw, false, true);
                assertClose(KernelTesting.add(dwExpected, dwExpected), read(dw), 1e-6, "dw accumulate n=" + n);
            }
        }
    }

    @Test
    void zeroWeightCandidateIsNotRead() {
        int n = 9;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = floats(arena, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), poison = zeros(arena, n);
            ElementwiseKernels.fill(poison, n, Float.NaN);
            MemorySegment ptrs = MixedOpKernels.pointerArray(arena, n, a, poison, MemorySegment.NULL);
            MemorySegment y = zeros(arena, n);
            MixedOpKernels.mixedFwd(ptrs, floats(arena, new double[] {2, 0, 5}), 3, n, y, false);
            for (int i = 0; i < n; i++) {
                assertEquals(2f * (i + 1), read(y)[i]);
            }
            // Nothing active: overwrite gives zeros.
            MixedOpKernels.mixedFwd(ptrs, floats(arena, new double[] {0, 0, 1}), 3, n, y, false);
            assertArrayEquals(new float[n], read(y));
        }
    }

    @Test
    void weightGradientsAreBitReproducible() {
        Random r = new Random(42);
        int n = 200_001, saved = CpuLibrary.threads();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] segs = new MemorySegment[4];
            for (int k = 0; k < 4; k++) {
                segs[k] = floats(arena, randn(r, n, 1));
            }
            MemorySegment ptrs = MixedOpKernels.pointerArray(arena, n, segs), w = floats(arena, new double[] {.1, .2, .3, .4});
            MemorySegment dy = floats(arena, randn(r, n, 1)), dw = zeros(arena, 4);
            MixedOpKernels.mixedBwd(ptrs, w, 4, n, dy, MemorySegment.NULL, dw, false, false);
            float[] first = read(dw);
            for (int threads : new int[] {1, 2, 3}) {
                CpuLibrary.setThreads(threads);
                MixedOpKernels.mixedBwd(ptrs, w, 4, n, dy, MemorySegment.NULL, dw, false, false);
                assertArrayEquals(first, read(dw), "threads=" + threads);
            }
        } finally {
            CpuLibrary.setThreads(saved);
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = zeros(arena, 10), b = zeros(arena, 9);
            assertThrows(IllegalArgumentException.class, () -> MixedOpKernels.pointerArray(arena, 10, a, b));
            assertThrows(IllegalArgumentException.class, () -> MixedOpKernels.pointerArray(arena, 10));
            MemorySegment ptrs = MixedOpKernels.pointerArray(arena, 9, a, b), w = zeros(arena, 2);
            // Made for 9 floats: a call over 10 must not reach native code.
            assertThrows(IllegalArgumentException.class, () -> MixedOpKernels.mixedFwd(ptrs, w, 2, 10, a, false));
            assertThrows(IllegalArgumentException.class, () -> MixedOpKernels.mixedFwd(ptrs, w, 3, 9, a, false));
            assertThrows(IllegalArgumentException.class, () -> MixedOpKernels.mixedFwd(ptrs, zeros(arena, 1), 2, 9, a, false));
            MemorySegment raw = arena.allocate(java.lang.foreign.ValueLayout.ADDRESS, 2);
            assertThrows(IllegalArgumentException.class, () -> MixedOpKernels.mixedFwd(raw, w, 2, 9, a, false));
            assertThrows(IllegalArgumentException.class,
                    () -> MixedOpKernels.mixedBwd(ptrs, w, 2, 9, a, raw, w, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> MixedOpKernels.mixedBwd(ptrs, w, 2, 9, a, MemorySegment.NULL, zeros(arena, 1), false, false));
            assertTrue(ptrs.byteSize() > 0);
        }
    }
}
