package archway.trials;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What became of one trial: its metrics (JSON) when it ran, or the error it failed with on every attempt.
 * {@code worker} and {@code attempts} say where and how often it ran; they are bookkeeping, not part of the
 * result (a trial's metrics depend only on its spec).
 *
 * @param id       the trial's stable id
 * @param ok       true when {@code result} holds metrics, false when the trial was given up
 * @param result   the kind's metrics as JSON (null when failed)
 * @param error    the error of the failed attempts (null when ok)
 * @param worker   the worker that produced this outcome ("local" without a cluster)
 * @param attempts attempts it took, the successful one included
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialOutcome(String id, boolean ok, String result, String error, String worker, int attempts) {
    public static TrialOutcome done(String id, String result, String worker, int attempts) {
        return new TrialOutcome(id, true, result, null, worker, attempts);
    }

    public static TrialOutcome failed(String id, String error, String worker, int attempts) {
        return new TrialOutcome(id, false, null, error, worker, attempts);
    }
}
