package archway.trials;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a batch of trials somewhere (a local thread pool, or a cluster) and returns one outcome per distinct
 * trial id, in the order the trials were given. Trials are idempotent, so an executor may run one more than
 * once (after a lost worker); it reports each id exactly once.
 */
public interface TrialExecutor extends AutoCloseable {
    /**
     * Runs every trial and blocks until each has an outcome. {@code onOutcome} is called once per trial as
     * soon as its outcome is known (from one thread at a time), so that callers can archive it at once.
     */
    List<TrialOutcome> runAll(List<TrialTask> trials, Consumer<TrialOutcome> onOutcome);

    @Override
    void close();
}
