package archway.trial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutorCompletionService;
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
        return runAll(specs, r -> { });
    }

    /** Delivers the results already known at once, then each new one as soon as its trial ends (in the order they end). */
    @Override
    public List<TrialResult> runAll(List<TrialSpec> specs, Consumer<TrialResult> onResult) {
        Map<String, Future<TrialResult>> running = new LinkedHashMap<>();
        CompletionService<TrialResult> finished = new ExecutorCompletionService<>(pool);
        List<String> ids = new ArrayList<>(specs.size());
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        for (TrialSpec spec : specs) {
            String id = spec.id();
            ids.add(id);
            if (done.containsKey(id)) {
                known.add(id);
            } else if (!running.containsKey(id)) {
                running.put(id, finished.submit(() -> runOne(spec)));
            }
        }
        known.forEach(id -> onResult.accept(done.get(id)));
        for (int i = 0; i < running.size(); i++) {
            try {
                TrialResult r = finished.take().get();
                done.put(r.id(), r);
                onResult.accept(r);
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
