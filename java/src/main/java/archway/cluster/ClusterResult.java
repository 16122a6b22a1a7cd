package archway.cluster;

import archway.trial.TrialResult;

/**
 * A trial result as the cluster publishes it: the result itself plus where it was produced and how many
 * attempts it took (bookkeeping for progress and failure reports, not part of the result).
 */
public record ClusterResult(TrialResult result, String worker, int attempts) {
}
