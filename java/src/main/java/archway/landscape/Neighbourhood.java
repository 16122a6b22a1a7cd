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
        walk(code, code, 0, radius, consumer);
    }

    /** The codes of the radius-{@code radius} neighbourhood of {@code arch}, in a fixed order. */
    public static int[] codes(Nb201Arch arch, int radius) {
        int[] out = new int[(int) size(radius)];
        int[] n = {0};
        forEach(arch.code(), radius, c -> out[n[0]++] = c);
        return out;
    }

    // Chooses the changed edges in increasing order (so each neighbour is produced once) and, on each,
    // every op other than the original one.
    private static void walk(int original, int current, int firstEdge, int left, IntConsumer consumer) {
        if (left == 0) {
            consumer.accept(current);
            return;
        }
        for (int e = firstEdge; e <= Nb201Arch.NUM_EDGES - left; e++) {
            int own = (original / POW5[e]) % Nb201Arch.NUM_OPS;
            int base = current - own * POW5[e];
            for (int op = 0; op < Nb201Arch.NUM_OPS; op++) {
                if (op != own) {
                    walk(original, base + op * POW5[e], e + 1, left - 1, consumer);
                }
            }
        }
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
