package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The class-balanced support set and the per-class exit accuracy it measures. */
class SupportSplitTest {
    @Test
    void tenPercentOfEveryClassHeldOut() {
        int[] labels = new int[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 200 ? i % 2 : 2;   // 100 of class 0, 100 of class 1, 100 of class 2
        }
        SupportSplit split = SupportSplit.of(labels, 3, 0.1, 42);
        int[] perClass = new int[3];
        for (int i : split.support()) {
            perClass[labels[i]]++;
        }
        assertArrayEquals(new int[] {10, 10, 10}, perClass);
        int[] all = IntStream.concat(IntStream.of(split.support()), IntStream.of(split.train())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 300).toArray(), all);
        assertArrayEquals(split.support(), SupportSplit.of(labels, 3, 0.1, 42).support());
        assertEquals(false, java.util.Arrays.equals(split.support(), SupportSplit.of(labels, 3, 0.1, 43).support()));
    }

    @Test
    void accuracyPerClassAndExit() {
        int[] labels = {0, 0, 1, 1, 1};
        boolean[][] right = {{true, true}, {false, true}, {true, false}, {true, true}, {false, false}};
        double[][] a = SupportSplit.accuracy(labels, right, new int[] {0, 1, 2, 3}, 2);
        assertArrayEquals(new double[] {0.5, 1.0}, a[0], 1e-15);
        assertArrayEquals(new double[] {1.0, 0.5}, a[1], 1e-15);
    }
}
