package archway.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The 50/50 weight-train / arch-val split. */
class SearchSplitTest {
    private static Dataset labelled(int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7 + i / 3) % classes;
        }
        return new Dataset("s", 1, 1, 1, classes, new byte[n], labels, null);
    }

    @Test
    void halvesAreDisjointCoverTheSetAndKeepClassBalance() {
        Dataset d = labelled(1001, 10);
        SearchSplit s = SearchSplit.of(d, 42);
        int[] a = s.weightTrain();
        int[] b = s.archVal();
        assertEquals(1001, a.length + b.length);
        boolean[] seen = new boolean[1001];
        for (int i : a) {
            assertFalse(seen[i]);
            seen[i] = true;
        }
        for (int i : b) {
            assertFalse(seen[i], "index " + i + " in both halves");
            seen[i] = true;
        }
        int[] all = d.classCounts();
        int[] ca = d.subset(a, "a").classCounts();
        for (int k = 0; k < 10; k++) {
            assertEquals(all[k] / 2, ca[k], "class " + k);
        }
        assertArrayEquals(a, Arrays.stream(a).sorted().toArray());
    }

    @Test
    void fixedBySeed() {
        Dataset d = labelled(500, 10);
        assertArrayEquals(SearchSplit.of(d, 7).weightTrain(), SearchSplit.of(d, 7).weightTrain());
        assertFalse(Arrays.equals(SearchSplit.of(d, 7).weightTrain(), SearchSplit.of(d, 8).weightTrain()));
    }

    @Test
    void bundledMiniSplitsInto3000And3000() {
        Dataset train = Datasets.load("fashion-mnist-mini", null).train();
        SearchSplit s = SearchSplit.of(train, 0);
        assertEquals(3000, s.weightTrain().length);
        assertEquals(3000, s.archVal().length);
        for (int c : train.subset(s.archVal(), "v").classCounts()) {
            assertEquals(300, c);
        }
    }
}
