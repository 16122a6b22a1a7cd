package archway.cluster;

import com.hazelcast.cluster.Member;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coordinator's progress line: trials queued / running / done of this search, and per worker its slots,
 * running trials and the trials of this search it finished, e.g.
 * {@code cluster: 2 queued, 2 running, 4/8 done, 0 failed | 127.0.0.1:5701 (2 slots) 1 running, 3 done | ...}.
 */
final class ClusterProgress {
    private ClusterProgress() {
    }

    /** A worker's name: the address it listens on. */
    static String workerName(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    /** Per-worker figures for one line. */
    record WorkerLine(int slots, int running, int done) {
    }

    static String line(int queued, int running, int done, int total, int failed, Map<String, WorkerLine> workers) {
        StringBuilder sb = new StringBuilder(String.format("cluster: %d queued, %d running, %d/%d done, %d failed",
                queued, running, done, total, failed));
        if (workers.isEmpty()) {
            sb.append(" | no workers");
        }
        for (var e : new TreeMap<>(workers).entrySet()) {
            WorkerLine w = e.getValue();
            sb.append(String.format(" | %s (%d slot%s) %d running, %d done", e.getKey(), w.slots(),
                    w.slots() == 1 ? "" : "s", w.running(), w.done()));
        }
        return sb.toString();
    }
}
