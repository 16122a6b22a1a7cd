package archway.trial;

import java.util.List;

/**
 * Where trials run: a local thread pool ({@link LocalTrialRunner}) or, behind the same interface, a cluster.
 * {@link #runAll} returns one result per spec, in the order given; a spec whose id has already been run returns
 * the stored result without running again (idempotence). A trial that throws yields a FAILED result, it does
 * not fail the batch.
 */
public interface TrialRunner extends AutoCloseable {
    List<TrialResult> runAll(List<TrialSpec> specs);

    @Override
    void close();
}
