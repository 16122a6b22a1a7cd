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

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.ElementwiseKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Flat arithmetic (float-exact against Java float math), double reductions, channel scaling. */
class ElementwiseKernelsTest {
    // Above the native parallel threshold and reduction chunk size, with an odd tail.
    private static final int BIG = (1 << 20) + 7;

    @Test
    void arithmeticMatchesFloatFormulas() {
        Random r = new Random(1);
        for (int n : new int[] {1, 13, BIG}) {
            try (Arena arena = Arena.ofConfined()) {
                float[] a = KernelTesting.toFloat(randn(r, n, 1)), b = KernelTesting.toFloat(randn(r, n, 1));
                MemorySegment sa = floats(arena, a), sb = floats(arena, b), y = zeros(arena, n);
                ElementwiseKernels.fill(y, n, 2.5f);
                for (float v : read(y)) {
                    assertEquals(2.5f, v);
                }
                ElementwiseKernels.copy(sa, y, n);
                assertArrayEquals(a, read(y));
                ElementwiseKernels.add(sa, sb, y, n);
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = a[i] + b[i];
                }
                assertArrayEquals(expected, read(y));
                // add3 rounds (a + b) first, then adds c: the bits of add followed by axpy with alpha 1.
                float[] c = KernelTesting.toFloat(randn(r, n, 1e3));
                MemorySegment sc = floats(arena, c), y3 = zeros(arena, n);
                ElementwiseKernels.add3(sa, sb, sc, y3, n);
                float[] sum3 = new float[n];
                for (int i = 0; i < n; i++) {
                    sum3[i] = (a[i] + b[i]) + c[i];
                }
                assertArrayEquals(sum3, read(y3), "add3 n=" + n);
                ElementwiseKernels.axpy(1f, sc, y, n);
                assertArrayEquals(sum3, read(y), "add then axpy n=" + n);
                ElementwiseKernels.add(sa, sb, y, n);
                ElementwiseKernels.scale(y, n, 0.5f);
                for (int i = 0; i < n; i++) {
                    expected[i] *= 0.5f;
                }
                assertArrayEquals(expected, read(y));
                ElementwiseKernels.axpy(-1.5f, sb, y, n);
                for (int i = 0; i < n; i++) {
                    expected[i] += -1.5f * b[i];
                }
                assertClose(KernelTesting.toDouble(expected), read(y), 1e-7, "axpy n=" + n);
                ElementwiseKernels.axpby(2f, sa, -0.25f, y, n);
                for (int i = 0; i < n; i++) {
                    expected[i] = 2f * a[i] + -0.25f * expected[i];
                }
                assertClose(KernelTesting.toDouble(expected), read(y), 1e-7, "axpby n=" + n);
            }
        }
    }

    @Test
    void reductionsMatchDoubleReferenceAndAreBitReproducible() {
        Random r = new Random(2);
        int saved = CpuLibrary.threads();
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {0, 1, 9, 16384 * 3 + 5, BIG}) {
                double[] a = randn(r, n, 1), b = randn(r, n, 1);
                MemorySegment sa = floats(arena, a), sb = floats(arena, b);
                double ss = 0, d = 0;
                for (int i = 0; i < n; i++) {
                    ss += a[i] * a[i];
                    d += a[i] * b[i];
                }
                // Products of floats are exact in double; only summation order differs from the reference.
                assertEquals(ss, ElementwiseKernels.sumsq(sa, n), 1e-12 * (ss + 1), "sumsq n=" + n);
                assertEquals(d, ElementwiseKernels.dot(sa, sb, n), 1e-12 * (ss + 1), "dot n=" + n);
                double s1 = ElementwiseKernels.sumsq(sa, n), d1 = ElementwiseKernels.dot(sa, sb, n);
                for (int threads : new int[] {1, 2, 3}) {
                    CpuLibrary.setThreads(threads);
                    for (int rep = 0; rep < 3; rep++) {
                        assertEquals(Double.doubleToRawLongBits(s1), Double.doubleToRawLongBits(ElementwiseKernels.sumsq(sa, n)));
                        assertEquals(Double.doubleToRawLongBits(d1), Double.doubleToRawLongBits(ElementwiseKernels.dot(sa, sb, n)));
                    }
                }
                CpuLibrary.setThreads(saved);
            }
        } finally {
            CpuLibrary.setThreads(saved);
        }
    }

    static double[] channelScaleRef(double[] x, double[] s, int n, int c, int hw) {
        double[] y = new double[x.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < hw; i++) {
                y[p * hw + i] = x[p * hw + i] * s[p];
            }
        }
        return y;
    }

    @Test
    void channelScaleForwardAndGradients() {
        Random r = new Random(3);
        int[][] shapes = {{1, 1, 1}, {2, 3, 5}, {3, 4, 49}};
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1], hw = sh[2], size = n * c * hw;
            try (Arena arena = Arena.ofConfined()) {
                double[] x = randn(r, size, 1), s = randn(r, n * c, 1), rr = randn(r, size, 1);
                MemorySegment sx = floats(arena, x), ss = floats(arena, s), y = zeros(arena, size);
                ElementwiseKernels.channelScaleFwd(sx, ss, y, n, c, hw);
                assertClose(channelScaleRef(x, s, n, c, hw), read(y), 1e-6, "channel_scale fwd");
                MemorySegment dx = zeros(arena, size), ds = zeros(arena, n * c);
                ElementwiseKernels.channelScaleBwd(sx, ss, floats(arena, rr), dx, ds, n, c, hw, false);
                double[] gx = numericGrad(v -> channelScaleRef(v, s, n, c, hw), x, rr, 1e-3);
                double[] gs = numericGrad(v -> channelScaleRef(x, v, n, c, hw), s, rr, 1e-3);
                assertClose(gx, read(dx), 1e-5, "channel_scale dx");
                assertClose(gs, read(ds), 1e-5, "channel_scale ds");
                // Accumulate adds; ds alone (dx NULL, s NULL) works.
                ElementwiseKernels.channelScaleBwd(sx, MemorySegment.NULL, floats(arena, rr), MemorySegment.NULL, ds,
                        n, c, hw, true);
                assertClose(KernelTesting.add(gs, gs), read(ds), 1e-5, "channel_scale ds accumulated");
            }
        }
    }

    @Test
    void wrongSizesThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = zeros(arena, 10), big = zeros(arena, 11);
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.fill(small, 11, 0));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.copy(small, big, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.add(big, small, big, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.axpy(1, big, small, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.add3(big, big, small, big, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.axpby(1, small, 1, big, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.scale(small, 11, 1));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.sumsq(small, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.dot(big, small, 11));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.fill(MemorySegment.NULL, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.fill(big, -1, 0));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.channelScaleFwd(big, small, big, 1, 11, 1));
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.channelScaleFwd(big, big, big, 0, 1, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> ElementwiseKernels.channelScaleBwd(big, MemorySegment.NULL, big, big, MemorySegment.NULL, 1, 1, 11, false));
        }
    }
}
