package archway.trials;

/**
 * Evaluates one kind of trial locally: spec JSON in, metrics JSON out. Must be deterministic (the metrics
 * depend only on the spec, its seed included) and must not keep state between trials, so that the same
 * trial gives the same metrics on any machine and in any slot.
 */
public interface TrialKind {
    /** The name trials carry in {@link TrialTask#kind()}. */
    String name();

    /**
     * Runs the trial and returns its metrics as JSON. Throws on failure; the message is what is reported
     * (and compared across attempts), so it should not contain machine-specific details.
     */
    String evaluate(String spec, TrialSlot slot) throws Exception;
}
