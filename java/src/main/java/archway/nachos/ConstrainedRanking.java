package archway.nachos;

import archway.evo.ParetoSort;
import java.util.Arrays;

/**
 * NACHOS's handling of the MACs budget in NSGA-II. Selection uses constrained domination: every feasible point
 * ranks before every infeasible one; feasible points by non-dominated sorting; infeasible ones after them by their
 * violation (smaller first). The objective itself carries the penalty f2 = phi c + (1 - phi) 1e10 max(0, c - M),
 * phi being the share of the population predicted feasible.
 */
public final class ConstrainedRanking {
    static final double PENALTY = 1e10;

    private ConstrainedRanking() {
    }

    /** Front index of each point (0 best) given each point's constraint violation (<= 0: feasible). */
    public static int[] ranks(double[][] objectives, double[] violation) {
        int n = objectives.length;
        int[] feasible = java.util.stream.IntStream.range(0, n).filter(i -> violation[i] <= 0).toArray();
        int[] rank = new int[n];
        int[] feasibleRanks = feasible.length == 0 ? new int[0] : ParetoSort.ranks(Arrays.stream(feasible).mapToObj(i -> objectives[i])
                .toArray(double[][]::new));
        int next = 0;
        for (int k = 0; k < feasible.length; k++) {
            rank[feasible[k]] = feasibleRanks[k];
            next = Math.max(next, feasibleRanks[k] + 1);
        }
        double[] levels = java.util.stream.IntStream.range(0, n).filter(i -> violation[i] > 0)
                .mapToDouble(i -> violation[i]).distinct().sorted().toArray();
        for (int i = 0; i < n; i++) {
            if (violation[i] > 0) {
                rank[i] = next + Arrays.binarySearch(levels, violation[i]);
            }
        }
        return rank;
    }

    /** f2 for expected MACs c under budget M with phi the share predicted feasible. */
    public static double penalisedMacs(double macs, double budget, double phi) {
        return phi * macs + (1 - phi) * PENALTY * Math.max(0, macs - budget);
    }

    /** phi: share of predicted MACs within the budget. */
    public static double feasibleShare(double[] macs, double budget) {
        return macs.length == 0 ? 0 : Arrays.stream(macs).filter(m -> m <= budget).count() / (double) macs.length;
    }
}
