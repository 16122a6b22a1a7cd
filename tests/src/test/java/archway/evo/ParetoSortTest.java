package archway.evo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Non-dominated sorting and crowding distance against hand-checked sets. */
class ParetoSortTest {
    @Test
    void ranksAHandCheckedSetIntoItsThreeFronts() {
        double[][] points = {
            {1, 5}, {2, 3}, {3, 2}, {5, 1},      // front 0
            {2, 5}, {3, 4}, {4, 3},              // front 1: each dominated by a front-0 point, not by each other
            {5, 5},                              // front 2: dominated by (4,3)
        };
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 2}, ParetoSort.ranks(points));
        assertArrayEquals(new int[] {0, 1, 2, 3}, ParetoSort.front(points));
    }

    @Test
    void equalPointsShareAFront() {
        double[][] points = {{1, 1}, {1, 1}, {2, 2}};
        assertArrayEquals(new int[] {0, 0, 1}, ParetoSort.ranks(points));
    }

    @Test
    void crowdingIsInfiniteAtTheEndsAndTheNormalisedNeighbourGapInside() {
        // sorted by f1: (1,5) (2,3) (3,2) (6,1); ranges: f1 5, f2 4
        double[][] front = {{3, 2}, {1, 5}, {6, 1}, {2, 3}};
        double[] d = ParetoSort.crowding(front);
        assertEquals(Double.POSITIVE_INFINITY, d[1]);
        assertEquals(Double.POSITIVE_INFINITY, d[2]);
        assertEquals((3.0 - 1) / 5 + (5.0 - 2) / 4, d[3], 1e-12);   // (2,3): f1 gap 1..3, f2 gap 2..5
        assertEquals((6.0 - 2) / 5 + (3.0 - 1) / 4, d[0], 1e-12);   // (3,2): f1 gap 2..6, f2 gap 1..3
        assertTrue(d[0] > d[3]);
    }
}
