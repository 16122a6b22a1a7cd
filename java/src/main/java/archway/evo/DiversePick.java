package archway.evo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks k of NSGA-II's candidates for real evaluation so that they spread over the predicted front rather than
 * crowd one corner of it: candidates are taken front by front (non-dominated sorting) until there are at least
 * 2k of them, objectives are scaled to [0, 1] over that pool, and then greedily the candidate farthest from
 * those already picked is added, starting from the one with the best first objective.
 */
public final class DiversePick {
    private DiversePick() {
    }

    /** Indices into {@code objectives} of the picked candidates, in pick order. */
    public static int[] pick(double[][] objectives, int k) {
        int n = objectives.length;
        if (k >= n) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        int[] rank = ParetoSort.ranks(objectives);
        List<Integer> pool = new ArrayList<>();
        for (int front = 0; pool.size() < Math.min(n, 2 * k); front++) {
            for (int i = 0; i < n; i++) {
                if (rank[i] == front) {
                    pool.add(i);
                }
            }
        }
        int m = objectives[0].length;
        double[] lo = new double[m];
        double[] hi = new double[m];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i : pool) {
            for (int j = 0; j < m; j++) {
                lo[j] = Math.min(lo[j], objectives[i][j]);
                hi[j] = Math.max(hi[j], objectives[i][j]);
            }
        }
        double[][] scaled = new double[n][];
        for (int i : pool) {
            scaled[i] = new double[m];
            for (int j = 0; j < m; j++) {
                double range = hi[j] - lo[j];
                scaled[i][j] = range > 0 ? (objectives[i][j] - lo[j]) / range : 0;
            }
        }
        int first = pool.stream().min(Comparator.<Integer>comparingDouble(i -> objectives[i][0]).thenComparingInt(i -> i)).orElseThrow();
        int[] picked = new int[k];
        picked[0] = first;
        double[] nearest = new double[n];
        java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        boolean[] taken = new boolean[n];
        taken[first] = true;
        for (int p = 1; p < k; p++) {
            int last = picked[p - 1];
            int best = -1;
            for (int i : pool) {
                if (taken[i]) {
                    continue;
                }
                nearest[i] = Math.min(nearest[i], distance(scaled[i], scaled[last]));
                if (best < 0 || nearest[i] > nearest[best]) {
                    best = i;
                }
            }
            picked[p] = best;
            taken[best] = true;
        }
        return picked;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return Math.sqrt(s);
    }
}
