package archway.landscape;

import archway.nb201.Nb201Arch;
import java.util.function.IntConsumer;

/**
 * The radius-r neighbourhood of an architecture: every architecture at Hamming distance exactly r
 * (r edges changed, each to one of the 4 other ops), C(6,r) * 4^r members. Works on
 * {@link Nb201Arch#code()} values so a walk over all 15,625 neighbourhoods allocates nothing.
 */
public final class Neighbourhood {
    private static final int[] POW5 = {3125, 625, 125, 25, 5, 1}; // place value of edge e in a code
    private static final int[][][] SUBSETS = subsets(); // [r] -> every r-subset of the edges, ascending

    private static int[][][] subsets() {
        int n = Nb201Arch.NUM_EDGES;
        java.util.List<java.util.List<int[]>> by = new java.util.ArrayList<>();
        for (int r = 0; r <= n; r++) {
            by.add(new java.util.ArrayList<>());
        }
        for (int mask = 0; mask < 1 << n; mask++) {
            int[] s = new int[Integer.bitCount(mask)];
            int k = 0;
            for (int e = 0; e < n; e++) {
                if ((mask & (1 << e)) != 0) {
                    s[k++] = e;
                }
            }
            by.get(s.length).add(s);
        }
        return by.stream().map(l -> l.toArray(int[][]::new)).toArray(int[][][]::new);
    }

    private Neighbourhood() {
    }

    /** Number of architectures at distance exactly {@code radius} (0..6). */
    public static long size(int radius) {
        checkRadius(radius);
        return binomial(Nb201Arch.NUM_EDGES, radius) * (long) Math.pow(Nb201Arch.NUM_OPS - 1, radius);
    }

    /** Calls {@code consumer} with the code of every architecture at distance exactly {@code radius} from {@code code}. */
    public static void forEach(int code, int radius, IntConsumer consumer) {
        checkRadius(radius);
        int[] own = new int[Nb201Arch.NUM_EDGES];
        for (int e = 0; e < Nb201Arch.NUM_EDGES; e++) {
            own[e] = (code / POW5[e]) % Nb201Arch.NUM_OPS;
        }
        int[] digit = new int[radius];
        // Iterative over precomputed edge subsets and a base-4 counter: this loop runs ~20 million times
        // per dataset in the report, where recursion was the dominant cost.
        for (int[] edges : SUBSETS[radius]) {
            int base = code;
            for (int e : edges) {
                base -= own[e] * POW5[e];
            }
            java.util.Arrays.fill(digit, 0);
            while (true) {
                int c = base;
                for (int i = 0; i < radius; i++) {
                    int e = edges[i];
                    int op = digit[i] < own[e] ? digit[i] : digit[i] + 1; // the 4 ops other than the original
                    c += op * POW5[e];
                }
                consumer.accept(c);
                int i = radius - 1;
                while (i >= 0 && ++digit[i] == Nb201Arch.NUM_OPS - 1) {
                    digit[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
    }

    /** The codes of the radius-{@code radius} neighbourhood of {@code arch}, in a fixed order. */
    public static int[] codes(Nb201Arch arch, int radius) {
        int[] out = new int[(int) size(radius)];
        int[] n = {0};
        forEach(arch.code(), radius, c -> out[n[0]++] = c);
        return out;
    }

    private static void checkRadius(int radius) {
        if (radius < 0 || radius > Nb201Arch.NUM_EDGES) {
            throw new IllegalArgumentException("radius " + radius + " is not in 0..6");
        }
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
