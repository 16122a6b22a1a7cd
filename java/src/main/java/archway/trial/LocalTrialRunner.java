package archway.trial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs trials on a fixed pool of {@code slots} threads in this JVM, remembering results by trial id. Results
 * come back in submission order whatever order the trials finish in, so a seeded search sees the same
 * sequence on any number of slots.
 */
public final class LocalTrialRunner implements TrialRunner {
    private final TrialEvaluator evaluator;
    private final ExecutorService pool;
    private final Map<String, TrialResult> done = new ConcurrentHashMap<>();

    public LocalTrialRunner(TrialEvaluator evaluator, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.evaluator = evaluator;
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "trial");
            t.setDaemon(true);
            return t;
        });
    }

    /** Results already known (e.g. from a resumed archive) are returned instead of re-running their trials. */
    public void remember(TrialResult result) {
        done.put(result.id(), result);
    }

    @Override
    public List<TrialResult> runAll(List<TrialSpec> specs) {
        Map<String, Future<TrialResult>> running = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(specs.size());
        for (TrialSpec spec : specs) {
            String id = spec.id();
            ids.add(id);
            if (!done.containsKey(id) && !running.containsKey(id)) {
                running.put(id, pool.submit(() -> runOne(spec)));
            }
        }
        for (Map.Entry<String, Future<TrialResult>> e : running.entrySet()) {
            try {
                done.put(e.getKey(), e.getValue().get());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for trials", ex);
            } catch (ExecutionException ex) {
                throw new IllegalStateException("trial runner failed", ex.getCause());
            }
        }
        List<TrialResult> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(done.get(id));
        }
        return out;
    }

    private TrialResult runOne(TrialSpec spec) {
        try {
            return TrialResult.ok(spec, evaluator.evaluate(spec));
        } catch (Exception | AssertionError e) {
            return TrialResult.failed(spec, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
