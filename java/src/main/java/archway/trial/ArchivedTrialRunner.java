package archway.trial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link TrialRunner} in front of another that keeps every result in a {@link TrialArchive} (one synced line per
 * trial, as it arrives): trials whose results are in the archive, from this run or from the run a resumed search
 * continues, are answered from it and never run again; the rest go to the runner behind it. The runner behind
 * belongs to the caller ({@link #close} leaves it open).
 */
public final class ArchivedTrialRunner implements TrialRunner {
    /** Told about each result that was not in the archive, with where its batch stands. */
    @FunctionalInterface
    public interface Listener {
        void finished(TrialResult result, TrialProgress progress);
    }

    private final TrialRunner runner;
    private final TrialArchive archive;
    private final Listener listener;
    private final Map<String, TrialResult> known;

    /** Reads the archive (a partial last line left by a kill is dropped first). */
    public ArchivedTrialRunner(TrialRunner runner, TrialArchive archive, Listener listener) {
        this.runner = runner;
        this.archive = archive;
        this.listener = listener;
        archive.repair();
        this.known = new ConcurrentHashMap<>(archive.read());
    }

    /** Results on file when this runner started or since. */
    public int archived() {
        return known.size();
    }

    @Override
    public List<TrialResult> runAll(List<TrialSpec> specs) {
        return runAll(specs, r -> { });
    }

    @Override
    public List<TrialResult> runAll(List<TrialSpec> specs, Consumer<TrialResult> onResult) {
        Map<String, TrialSpec> todo = new LinkedHashMap<>();
        for (TrialSpec s : specs) {
            String id = s.id();
            if (known.containsKey(id)) {
                continue;
            }
            todo.putIfAbsent(id, s);
        }
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (TrialSpec s : specs) {
            TrialResult r = known.get(s.id());
            if (r != null && reported.add(r.id())) {
                onResult.accept(r);
            }
        }
        if (!todo.isEmpty()) {
            int[] arrived = {0};
            long start = System.nanoTime();
            runner.runAll(new ArrayList<>(todo.values()), r -> {
                synchronized (this) {
                    if (known.putIfAbsent(r.id(), r) != null) {
                        return;
                    }
                    archive.append(r);
                    listener.finished(r, new TrialProgress(++arrived[0], todo.size(),
                            java.time.Duration.ofNanos(System.nanoTime() - start)));
                }
                onResult.accept(r);
            });
        }
        List<TrialResult> out = new ArrayList<>(specs.size());
        for (TrialSpec s : specs) {
            TrialResult r = known.get(s.id());
            if (r == null) {
                throw new IllegalStateException("the trial runner returned no result for trial " + s.id());
            }
            out.add(r);
        }
        return out;
    }

    /** Leaves the runner behind open: it belongs to the caller. */
    @Override
    public void close() {
    }
}
