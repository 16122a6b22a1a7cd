package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Constrained domination: feasible before infeasible; the penalised MACs objective by hand. */
class ConstrainedRankingTest {
    @Test
    void feasibleRanksBeforeInfeasible() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 30;
            double[][] obj = new double[n][2];
            double[] violation = new double[n];
            for (int i = 0; i < n; i++) {
                obj[i][0] = random.nextDouble();
                obj[i][1] = random.nextDouble();
                violation[i] = random.nextDouble() < 0.4 ? random.nextDouble() : 0;
            }
            obj[0] = new double[] {0, 0};            // dominates everything, but infeasible
            violation[0] = 0.5;
            int[] rank = ConstrainedRanking.ranks(obj, violation);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    if (violation[i] <= 0 && violation[k] > 0) {
                        assertTrue(rank[i] < rank[k]);
                    }
                    if (violation[i] > 0 && violation[k] > violation[i]) {
                        assertTrue(rank[i] < rank[k]);
                    }
                }
            }
        }
    }

    @Test
    void handExample() {
        double[][] obj = {{1, 1}, {2, 2}, {0, 0}, {0, 0}, {3, 0}};
        double[] violation = {0, 0, 2, 1, 0};
        assertArrayEquals(new int[] {0, 1, 3, 2, 0}, ConstrainedRanking.ranks(obj, violation));
        assertArrayEquals(new int[] {0, 1}, ConstrainedRanking.ranks(new double[][] {{0, 0}, {0, 0}},
                new double[] {1, 2}));
    }

    @Test
    void penalisedMacs() {
        assertEquals(0.75 * 90, ConstrainedRanking.penalisedMacs(90, 100, 0.75), 0);
        assertEquals(0.75 * 110 + 0.25 * 1e10 * 10, ConstrainedRanking.penalisedMacs(110, 100, 0.75), 1e-3);
        assertEquals(0.5, ConstrainedRanking.feasibleShare(new double[] {50, 100, 101, 200}, 100), 0);
    }
}
