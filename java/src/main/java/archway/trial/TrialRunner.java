package archway.trial;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where trials run: a local thread pool ({@link LocalTrialRunner}) or, behind the same interface, a cluster.
 * {@link #runAll} returns one result per spec, in the order given; a spec whose id has already been run returns
 * the stored result without running again (idempotence). A trial that throws yields a FAILED result, it does
 * not fail the batch.
 */
public interface TrialRunner extends AutoCloseable {
    List<TrialResult> runAll(List<TrialSpec> specs);

    /**
     * As {@link #runAll(List)}, and calls {@code onResult} once per distinct trial as soon as its result is known
     * (a cluster delivers them as they come in, so a caller can archive each at once; this default delivers them
     * when the batch is done).
     */
    default List<TrialResult> runAll(List<TrialSpec> specs, Consumer<TrialResult> onResult) {
        List<TrialResult> results = runAll(specs);
        java.util.Set<String> seen = new java.util.HashSet<>();
        results.stream().filter(r -> seen.add(r.id())).forEach(onResult);
        return results;
    }

    @Override
    void close();
}
