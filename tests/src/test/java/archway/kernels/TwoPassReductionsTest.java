package archway.kernels;

import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.TwoPassReductions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two-pass reductions against double references, their thread-count independence, and clipping. */
class TwoPassReductionsTest {
    @Test
    void sumsqAndDotMatchDoubleReferenceForAnyThreadCount() {
        Random r = new Random(3);
        int saved = CpuLibrary.threads();
        try (Arena arena = Arena.ofConfined()) {
            // One tile, several tiles, and more than 1024 tiles' worth (the tile count is capped).
            for (int n : new int[] {0, 1, 4097, 300_007, 4_500_001}) {
                double[] a = randn(r, n, 1), b = randn(r, n, 1);
                MemorySegment sa = floats(arena, a), sb = floats(arena, b);
                double ss = 0, d = 0;
                for (int i = 0; i < n; i++) {
                    ss += a[i] * a[i];
                    d += a[i] * b[i];
                }
                double s1 = TwoPassReductions.sumsq(sa, n), d1 = TwoPassReductions.dot(sa, sb, n);
                assertEquals(ss, s1, 1e-12 * (ss + 1), "sumsq n=" + n);
                assertEquals(d, d1, 1e-12 * (ss + 1), "dot n=" + n);
                assertEquals(Math.sqrt(s1), TwoPassReductions.norm(sa, n), "norm n=" + n);
                for (int threads : new int[] {1, 3}) {
                    CpuLibrary.setThreads(threads);
                    assertEquals(Double.doubleToRawLongBits(s1), Double.doubleToRawLongBits(TwoPassReductions.sumsq(sa, n)),
                            "sumsq bits, threads=" + threads);
                    assertEquals(Double.doubleToRawLongBits(d1), Double.doubleToRawLongBits(TwoPassReductions.dot(sa, sb, n)),
                            "dot bits, threads=" + threads);
                }
                CpuLibrary.setThreads(saved);
            }
        } finally {
            CpuLibrary.setThreads(saved);
        }
    }

    @Test
    void clippingScalesOnlyWhenTheNormExceedsTheBound() {
        Random r = new Random(4);
        int n = 100_003;
        double[] g = randn(r, n, 1);
        double norm = 0;
        for (double v : g) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = floats(arena, g);
            assertEquals(norm, TwoPassReductions.clipGradNorm(s, n, (float) (2 * norm)), 1e-9 * norm);
            float[] untouched = read(s);
            for (int i = 0; i < n; i++) {
                assertEquals((float) g[i], untouched[i], "element " + i + " must be left alone below the bound");
            }
            float max = 5f;
            assertEquals(norm, TwoPassReductions.clipGradNorm(s, n, max), 1e-9 * norm);
            double coef = max / (norm + 1e-6), after = 0;
            float[] clipped = read(s);
            for (int i = 0; i < n; i++) {
                assertEquals(g[i] * coef, clipped[i], 1e-6 * Math.abs(g[i] * coef) + 1e-12, "clipped element " + i);
                after += (double) clipped[i] * clipped[i];
            }
            assertEquals(max, Math.sqrt(after), 1e-4, "norm after clipping");
            assertThrows(IllegalArgumentException.class, () -> TwoPassReductions.clipGradNorm(s, n, 0f));
        }
    }
}
