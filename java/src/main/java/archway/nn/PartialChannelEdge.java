package archway.nn;

import archway.graph.Graph;
import archway.graph.Value;
import java.util.function.UnaryOperator;

/**
 * The PC-DARTS edge (specs/darts-family.md): the mixed op runs on the first C/K channels of the input
 * only; the other channels bypass it (max-pooled 2x2 when the edge halves the resolution); the two
 * parts are concatenated and channel-shuffled with K groups so the next edge samples other channels.
 * Memory and compute of the candidates drop by about K. The same routing around a whole NB201 cell is
 * AsquaredM's per-cell variant (the slice taken once, the cell run on it, one shuffle at its output).
 */
public final class PartialChannelEdge {
    /** The PC-DARTS sampling ratio. */
    public static final int K = 4;

    private PartialChannelEdge() {
    }

    /**
     * @param mixed builds the mixed op (or the whole cell) on the processed part (C/K channels); it must keep
     *              that channel count and either keep the resolution or halve it (stride 2)
     */
    public static Value apply(Graph g, String name, Value x, int k, UnaryOperator<Value> mixed) {
        int c = x.c();
        if (k < 1 || c % k != 0) {
            throw new IllegalArgumentException("partial-channel edge " + name + ": " + c
                    + " channels are not divisible by K = " + k + " (use a channel count that is a multiple of " + k + ")");
        }
        if (k == 1) {
            return mixed.apply(x);
        }
        int part = c / k;
        Value processed = Layers.channelSlice(g, name + ".part", x, 0, part);
        Value bypass = Layers.channelSlice(g, name + ".bypass", x, part, c - part);
        Value y = mixed.apply(processed);
        if (y.c() != part) {
            throw new IllegalArgumentException("partial-channel edge " + name + ": mixed op changed channels " + part
                    + " -> " + y.c());
        }
        if (y.h() != x.h() || y.w() != x.w()) {
            // Reduction edge: halve the bypassed channels too (2x2 max pool; padded for odd sizes).
            bypass = Layers.maxPool(g, name + ".bypass.pool", bypass, 2, 2, x.h() % 2);
            if (bypass.h() != y.h() || bypass.w() != y.w()) {
                throw new IllegalArgumentException("partial-channel edge " + name + ": cannot match " + y + " with "
                        + bypass);
            }
        }
        Value joined = Layers.concat(g, name + ".join", y, bypass);
        return Layers.channelShuffle(g, name + ".shuffle", joined, k);
    }
}
