package archway.trial;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a trial produced: its id and spec, whether it succeeded, its named metrics (error, flatness, ...)
 * and, when it failed, the error message.
 */
public record TrialResult(String id, TrialSpec spec, Status status, Map<String, Double> metrics, String error) {
    public enum Status { OK, FAILED }

    public TrialResult {
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    public static TrialResult ok(TrialSpec spec, Map<String, Double> metrics) {
        return new TrialResult(spec.id(), spec, Status.OK, metrics, null);
    }

    public static TrialResult failed(TrialSpec spec, String error) {
        return new TrialResult(spec.id(), spec, Status.FAILED, Map.of(), error);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** A metric that must be there. */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalStateException("trial " + id + " has no metric '" + name + "' (has " + metrics.keySet() + ")");
        }
        return v;
    }
}
