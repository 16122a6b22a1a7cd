package archway.landscape;

import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Dataset;
import java.util.List;

/**
 * Path analysis over a set of endpoint pairs: the per-pair results and the distribution of their
 * barriers across pairs.
 *
 * @param dataset accuracy column
 * @param selection how the pairs were chosen (for the reader)
 * @param pairs one compact {@link PathResult} per pair
 * @param bestBarrier across pairs: each pair's smallest barrier over its paths
 * @param meanBarrier across pairs: each pair's mean barrier over its paths
 * @param bestDip across pairs: each pair's smallest barrier minus its floor |acc(a)-acc(b)|/2
 * @param meanDistance mean Hamming distance of the pairs
 */
public record PairSetResult(Nb201Dataset dataset, String selection, List<PathResult> pairs, AccuracySummary bestBarrier,
        AccuracySummary meanBarrier, AccuracySummary bestDip, double meanDistance) {

    /** Summarises already-computed path results. */
    public static PairSetResult of(Nb201Dataset dataset, String selection, List<PathResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no pairs to summarise");
        }
        double[] best = results.stream().mapToDouble(PathResult::bestBarrier).toArray();
        double[] mean = results.stream().mapToDouble(PathResult::meanBarrier).toArray();
        // Clamped: floor and barrier are different sums of the same numbers and may differ by rounding.
        double[] dip = results.stream().mapToDouble(r -> Math.max(0, r.bestBarrier() - r.barrierFloor())).toArray();
        double dist = results.stream().mapToInt(PathResult::distance).average().orElse(0);
        return new PairSetResult(dataset, selection, results.stream().map(PathResult::compact).toList(),
                AccuracySummary.of(best), AccuracySummary.of(mean), AccuracySummary.of(dip), dist);
    }
}
