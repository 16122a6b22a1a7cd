package archway.evo;

import java.util.Map;

/**
 * What one iteration did: archive size after it, hypervolume of the feasible front before and after its
 * candidates (both under this iteration's objectives), the surrogate chosen per predicted objective with
 * every kind's cross-validated tau, how many candidates were measured, failed trials, and the iterations
 * without gain so far.
 */
public record IterationRecord(int iteration, int archiveSize, double hypervolumeBefore, double hypervolume,
                              Map<String, String> surrogate, Map<String, Map<String, Double>> tau,
                              int evaluated, int failed, int iterationsWithoutGain) {
}
