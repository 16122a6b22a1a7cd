package archway.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Seeded random subsets of a dataset's indices (the --train-limit option of train and search). */
public final class Subsets {
    private Subsets() {
    }

    /**
     * {@code limit} distinct indices of [0, size) drawn by a seeded Fisher-Yates shuffle, sorted; all of
     * them when limit is 0 or at least size.
     */
    public static int[] random(int size, int limit, long seed) {
        int[] idx = IntStream.range(0, size).toArray();
        if (limit <= 0 || limit >= size) {
            return idx;
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x7A11L);
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] sub = Arrays.copyOf(idx, limit);
        Arrays.sort(sub);
        return sub;
    }
}
