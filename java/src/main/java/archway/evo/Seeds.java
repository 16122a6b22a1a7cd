package archway.evo;

/** Seeds for independent random streams derived from (run seed, a, b) by SplitMix64 mixing. */
final class Seeds {
    private Seeds() {
    }

    static long derive(long seed, long a, long b) {
        long s = mix(seed + 0x9E37_79B9_7F4A_7C15L);
        s = mix(s ^ (a * 0xBF58_476D_1CE4_E5B9L));
        return mix(s ^ (b * 0x94D0_49BB_1331_11EBL));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
