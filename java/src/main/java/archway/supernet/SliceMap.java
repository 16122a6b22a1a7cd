package archway.supernet;

import archway.graph.ParamStore;
import archway.graph.ValueKind;
import java.util.Arrays;

/**
 * Where each trainable weight of a subnet lives in the supernet's flat weight buffer (once-for-all weight
 * sharing, docs/SUPERNET.md). Entries are matched by name; a subnet entry of shape s takes, from the supernet
 * entry of shape S (same rank, s[d] <= S[d]), the leading indices of every dimension, except the two spatial
 * dimensions of a convolution weight [out, in/groups, k, k], which take the centre k x k of the K x K kernel.
 * So an expanded layer's first Cmid channels, SE's first channels and the first d layers of a stage (the
 * subnet simply has no entries for the other slots) are shared, and a smaller kernel is the centre crop.
 *
 * <p>The map is computed once per subnet from the two stores' entries and then used for both directions:
 * {@link #gather} (supernet weights to a subnet) and {@link #scatterAdd} (a subnet's gradients into the
 * supernet's).
 */
public final class SliceMap {
    /** Subnet flat position -> supernet flat position; -1 for the alignment padding between entries. */
    private final int[] index;
    private final int wholeLength;

    private SliceMap(int[] index, int wholeLength) {
        this.index = index;
        this.wholeLength = wholeLength;
    }

    /** The map of {@code part}'s weights into {@code whole}'s (both traced; nothing needs to be allocated). */
    public static SliceMap weights(ParamStore whole, ParamStore part) {
        int[] index = new int[Math.toIntExact(part.flatLength(ValueKind.WEIGHT))];
        Arrays.fill(index, -1);
        for (ParamStore.Entry e : part.entries()) {
            if (e.kind() != ValueKind.WEIGHT) {
                continue;
            }
            ParamStore.Entry w;
            try {
                w = whole.entry(e.name());
            } catch (IllegalArgumentException missing) {
                throw new IllegalArgumentException("the supernet has no weight " + e.name() + " (not an mbv3 subnet?)");
            }
            fill(index, e, w);
        }
        return new SliceMap(index, Math.toIntExact(whole.flatLength(ValueKind.WEIGHT)));
    }

    private static void fill(int[] index, ParamStore.Entry e, ParamStore.Entry w) {
        int[] s = e.shape(), big = w.shape();
        if (w.kind() != ValueKind.WEIGHT || s.length != big.length) {
            throw new IllegalArgumentException(e.name() + Arrays.toString(s) + " does not fit the supernet's "
                    + w.kind() + Arrays.toString(big));
        }
        int[] offset = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            if (s[d] > big[d]) {
                throw new IllegalArgumentException(e.name() + Arrays.toString(s) + " is larger than the supernet's "
                        + Arrays.toString(big));
            }
            boolean spatial = s.length == 4 && d >= 2;
            if (spatial) {
                if ((big[d] - s[d]) % 2 != 0) {
                    throw new IllegalArgumentException(e.name() + ": a " + s[d] + "-kernel has no centre in a "
                            + big[d] + "-kernel");
                }
                offset[d] = (big[d] - s[d]) / 2;
            }
        }
        long[] stride = new long[big.length];
        long st = 1;
        for (int d = big.length - 1; d >= 0; d--) {
            stride[d] = st;
            st *= big[d];
        }
        int[] at = new int[s.length];
        for (long i = 0; i < e.size(); i++) {
            long pos = w.offset();
            for (int d = 0; d < s.length; d++) {
                pos += (at[d] + offset[d]) * stride[d];
            }
            index[Math.toIntExact(e.offset() + i)] = Math.toIntExact(pos);
            for (int d = s.length - 1; d >= 0; d--) {
                if (++at[d] < s[d]) {
                    break;
                }
                at[d] = 0;
            }
        }
    }

    /** Length of the subnet's flat weight buffer. */
    public int partLength() {
        return index.length;
    }

    /** Length of the supernet's flat weight buffer. */
    public int wholeLength() {
        return wholeLength;
    }

    /** The supernet position of subnet position {@code i} (-1: padding). */
    public int source(int i) {
        return index[i];
    }

    /** part[i] = whole[source(i)] (padding 0). */
    public void gather(float[] whole, float[] part) {
        for (int i = 0; i < index.length; i++) {
            int j = index[i];
            part[i] = j < 0 ? 0f : whole[j];
        }
    }

    /** whole[source(i)] += part[i]: adds a subnet's gradient into the supernet's. */
    public void scatterAdd(float[] part, float[] whole) {
        for (int i = 0; i < index.length; i++) {
            int j = index[i];
            if (j >= 0) {
                whole[j] += part[i];
            }
        }
    }
}
