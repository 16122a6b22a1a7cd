package archway.runtime.cuda;

import java.util.Arrays;

/**
 * Which guarded steps of a bound list are skipped (their mixing weight is exactly zero): part of a
 * captured graph's identity, since a graph replays a fixed kernel sequence. Built from the host mirror
 * of the mixing weights, never from device reads.
 */
public record SkipPattern(long[] bits) {
    public SkipPattern {
        bits = bits.clone();
    }

    /** The pattern of {@code guards} (per step: an index into {@code weights}, or -1 for unguarded). */
    public static SkipPattern of(long[] guards, float[] weights) {
        long[] b = new long[(guards.length + 63) / 64];
        for (int i = 0; i < guards.length; i++) {
            long g = guards[i];
            if (g >= 0 && weights[(int) g] == 0f) {
                b[i >>> 6] |= 1L << (i & 63);
            }
        }
        return new SkipPattern(b);
    }

    public boolean skips(int step) {
        return (bits[step >>> 6] & (1L << (step & 63))) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkipPattern p && Arrays.equals(bits, p.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "SkipPattern" + Arrays.toString(bits);
    }
}
