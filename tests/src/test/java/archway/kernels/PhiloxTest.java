package archway.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.RandomKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Philox4x32-10 CPU streams against the Random123 known answers and an independent Java implementation. */
class PhiloxTest {
    /** Independent Java Philox4x32-10 (unsigned arithmetic in longs). */
    static int[] philox(int c0, int c1, int c2, int c3, int k0, int k1) {
        long[] c = {c0 & 0xffffffffL, c1 & 0xffffffffL, c2 & 0xffffffffL, c3 & 0xffffffffL};
        long key0 = k0 & 0xffffffffL, key1 = k1 & 0xffffffffL;
        for (int r = 0; r < 10; r++) {
            long p0 = 0xD2511F53L * c[0], p1 = 0xCD9E8D57L * c[2];
            long hi0 = p0 >>> 32, lo0 = p0 & 0xffffffffL, hi1 = p1 >>> 32, lo1 = p1 & 0xffffffffL;
            c = new long[] {hi1 ^ c[1] ^ key0, lo1, hi0 ^ c[3] ^ key1, lo0};
            key0 = (key0 + 0x9E3779B9L) & 0xffffffffL;
            key1 = (key1 + 0xBB67AE85L) & 0xffffffffL;
        }
        return new int[] {(int) c[0], (int) c[1], (int) c[2], (int) c[3]};
    }

    @Test
    void javaReferenceMatchesRandom123KnownAnswers() {
        assertEquals(0x6627e8d5, philox(0, 0, 0, 0, 0, 0)[0]);
        assertEquals(0xe169c58d, philox(0, 0, 0, 0, 0, 0)[1]);
        int[] ones = philox(-1, -1, -1, -1, -1, -1);
        assertEquals(0x408f276d, ones[0]);
        assertEquals(0x6d5451fd, ones[3]);
    }

    @Test
    void uniformStreamEqualsReferenceBitForBit() {
        long seed = 0x1234_5678_9abcL;
        int purpose = 7, step = 3, n = 1003;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            RandomKernels.uniform(out, n, seed, purpose, step);
            for (int i = 0; i < n; i++) {
                long block = i >>> 2;
                int word = philox((int) block, (int) (block >>> 32), step, purpose, (int) seed, (int) (seed >>> 32))[i & 3];
                float expected = (word >>> 8) * (1.0f / 16777216.0f);
                assertEquals(expected, out.getAtIndex(ValueLayout.JAVA_FLOAT, i), "element " + i);
            }
        }
    }

    @Test
    void normalStreamHasUnitMoments() {
        int n = 200_000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            RandomKernels.normal(out, n, 42, 1, 0);
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) {
                double v = out.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                assertTrue(Double.isFinite(v));
                s += v;
                s2 += v * v;
            }
            double mean = s / n, var = s2 / n - mean * mean;
            // Standard errors: mean 1/sqrt(n) ~ 0.0022, variance sqrt(2/n) ~ 0.0032; allow 5 sigma.
            assertEquals(0.0, mean, 0.012);
            assertEquals(1.0, var, 0.016);
        }
    }

    @Test
    void rejectsBufferSmallerThanCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, 10);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> RandomKernels.uniform(out, 11, 1, 0, 0));
        }
    }
}
