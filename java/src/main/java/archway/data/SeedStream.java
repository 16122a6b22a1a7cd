package archway.data;

/**
 * A SplitMix64 stream (the generator inside {@link java.util.SplittableRandom}) whose state is derived
 * from a tuple (seed, purpose, a, b) by hashing, so any point of a run (e.g. epoch e, sample position p)
 * has its own stream that does not depend on what was drawn before. That is what lets a resumed run at
 * epoch e, step s see the same batches. Mutable and reusable: reseeding allocates nothing.
 */
final class SeedStream {
    static final long SHUFFLE = 0x5348_5546L;
    static final long AUGMENT = 0x4155_474DL;
    static final long SPLIT = 0x5350_4C54L;

    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private long state;

    SeedStream reset(long seed, long purpose, long a, long b) {
        long s = mix(seed + GOLDEN);
        s = mix(s ^ (purpose * GOLDEN));
        s = mix(s ^ (a * 0xBF58_476D_1CE4_E5B9L));
        s = mix(s ^ (b * 0x94D0_49BB_1331_11EBL));
        state = s;
        return this;
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, bound), unbiased (rejection as in SplittableRandom). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        int r = (int) (nextLong() >>> 33);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
            // retry: u fell in the biased tail
        }
        return r;
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Fisher-Yates over a[0, n). */
    void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
