package archway.trials;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs trials on this machine, {@code slots} at a time. A failing trial is reported failed after one attempt
 * (a local failure would fail the same way again).
 */
public final class LocalTrialExecutor implements TrialExecutor {
    private final TrialKinds kinds;
    private final ExecutorService pool;

    public LocalTrialExecutor(TrialKinds kinds, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.kinds = kinds;
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "trial-slot");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<TrialOutcome> runAll(List<TrialTask> trials, Consumer<TrialOutcome> onOutcome) {
        Map<String, TrialTask> distinct = new LinkedHashMap<>();
        trials.forEach(t -> distinct.putIfAbsent(t.id(), t));
        ExecutorCompletionService<TrialOutcome> done = new ExecutorCompletionService<>(pool);
        for (TrialTask t : distinct.values()) {
            done.submit(() -> run(t));
        }
        Map<String, TrialOutcome> byId = new LinkedHashMap<>();
        try {
            for (int i = 0; i < distinct.size(); i++) {
                TrialOutcome o = done.take().get();
                byId.put(o.id(), o);
                onOutcome.accept(o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("trial slot failed", e.getCause());
        }
        List<TrialOutcome> out = new ArrayList<>();
        distinct.keySet().forEach(id -> out.add(byId.get(id)));
        return out;
    }

    private TrialOutcome run(TrialTask t) {
        try {
            return TrialOutcome.done(t.id(), kinds.evaluate(t, TrialSlot.LOCAL), "local", 1);
        } catch (Exception e) {
            return TrialOutcome.failed(t.id(), TrialErrors.describe(e), "local", 1);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
