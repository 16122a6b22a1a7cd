package archway.trials;

import java.util.Objects;

/**
 * One trial on the wire: a stable id, the kind that knows how to evaluate it, and its spec as JSON.
 * The id is a pure function of the spec (see {@link TrialIds}), so a trial submitted twice, or run
 * twice after a lost worker, is recognised as the same trial and its results are deduplicated.
 *
 * @param id   stable id, a hash of kind and spec
 * @param kind name of the {@link TrialKind} that evaluates it (e.g. "train")
 * @param spec the kind's spec as JSON (everything the result depends on, seed included)
 */
public record TrialTask(String id, String kind, String spec) {
    public TrialTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(spec, "spec");
    }

    /** A trial whose id is derived from kind and spec. */
    public static TrialTask of(String kind, String spec) {
        return new TrialTask(TrialIds.of(kind, spec), kind, spec);
    }
}
