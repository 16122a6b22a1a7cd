package archway.evo;

import java.util.ArrayList;
import java.util.List;
import org.uma.jmetal.util.densityestimator.impl.CrowdingDistanceDensityEstimator;
import org.uma.jmetal.util.ranking.Ranking;
import org.uma.jmetal.util.ranking.impl.FastNonDominatedSortRanking;

/**
 * Non-dominated sorting and crowding distance (NSGA-II's two selection criteria, all objectives minimised)
 * on plain objective vectors, computed by jMetal's implementations.
 */
public final class ParetoSort {
    private ParetoSort() {
    }

    /** Front index of each point: 0 = non-dominated, 1 = non-dominated once front 0 is removed, ... */
    public static int[] ranks(double[][] objectives) {
        List<GeneSolution> solutions = wrap(objectives);
        Ranking<GeneSolution> ranking = new FastNonDominatedSortRanking<GeneSolution>().compute(solutions);
        int[] rank = new int[objectives.length];
        for (int i = 0; i < rank.length; i++) {
            rank[i] = ranking.getRank(solutions.get(i));
        }
        return rank;
    }

    /** Indices of the non-dominated points, in input order. */
    public static int[] front(double[][] objectives) {
        int[] rank = ranks(objectives);
        return java.util.stream.IntStream.range(0, rank.length).filter(i -> rank[i] == 0).toArray();
    }

    /**
     * Crowding distance of each point within the given set (usually one front): infinite at the extremes of
     * each objective, else the sum over objectives of the normalised gap between its two neighbours.
     */
    public static double[] crowding(double[][] objectives) {
        List<GeneSolution> solutions = wrap(objectives);
        CrowdingDistanceDensityEstimator<GeneSolution> estimator = new CrowdingDistanceDensityEstimator<>();
        estimator.compute(solutions);
        double[] d = new double[objectives.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = estimator.value(solutions.get(i));
        }
        return d;
    }

    private static List<GeneSolution> wrap(double[][] objectives) {
        List<GeneSolution> list = new ArrayList<>(objectives.length);
        for (double[] o : objectives) {
            list.add(GeneSolution.ofObjectives(o));
        }
        return list;
    }
}
