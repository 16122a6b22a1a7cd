package archway.landscape;

import archway.nb201.Nb201Dataset;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * All shortest paths between two architectures and the accuracy along them.
 *
 * <p>A shortest path changes the {@code distance} differing edges one at a time, so there are
 * {@code distance!} of them, one per ordering of {@link #changedEdges}. Step k (0..distance) is the
 * architecture after k changes; steps 0 and distance are the endpoints.
 *
 * <p>Barrier of a path = (acc(from) + acc(to)) / 2 - min accuracy along it, endpoints included (the
 * definition of specs/landscape.md). It is never below {@link #barrierFloor} = |acc(from) - acc(to)| / 2,
 * which a monotone path attains; the excess over that floor is the dip below the weaker endpoint.
 *
 * @param dataset accuracy column
 * @param fromIndex benchmark index of the start
 * @param from start as op digits
 * @param toIndex benchmark index of the end
 * @param to end as op digits
 * @param distance Hamming distance
 * @param changedEdges the edges on which the endpoints differ, ascending
 * @param pathCount number of shortest paths, distance!
 * @param fromAccuracy accuracy of the start
 * @param toAccuracy accuracy of the end
 * @param stepMean mean accuracy at each step over all paths
 * @param stepStd standard deviation at each step over all paths (population)
 * @param stepMin lowest accuracy at each step over all paths
 * @param stepMax highest accuracy at each step over all paths
 * @param barrierFloor |acc(from) - acc(to)| / 2, the smallest barrier any path can have
 * @param bestBarrier smallest barrier over all paths
 * @param meanBarrier mean barrier over all paths
 * @param worstBarrier largest barrier over all paths
 * @param noDipPaths paths that never go below the weaker endpoint (barrier == floor)
 * @param bestPath benchmark indices along a path with the smallest barrier (first in ordering order)
 * @param bestPathAccuracy accuracies along that path
 * @param pathBarriers barrier of every path, paths in lexicographic order of their edge orderings; null
 *     in compact results
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PathResult(Nb201Dataset dataset, int fromIndex, String from, int toIndex, String to, int distance,
        int[] changedEdges, long pathCount, double fromAccuracy, double toAccuracy, double[] stepMean, double[] stepStd,
        double[] stepMin, double[] stepMax, double barrierFloor, double bestBarrier, double meanBarrier,
        double worstBarrier, long noDipPaths, int[] bestPath, double[] bestPathAccuracy, double[] pathBarriers) {

    /** The same result without the per-path barriers (for reports over many pairs). */
    public PathResult compact() {
        return new PathResult(dataset, fromIndex, from, toIndex, to, distance, changedEdges, pathCount, fromAccuracy,
                toAccuracy, stepMean, stepStd, stepMin, stepMax, barrierFloor, bestBarrier, meanBarrier, worstBarrier,
                noDipPaths, bestPath, bestPathAccuracy, null);
    }
}
