package archway.cluster;

import archway.UserError;
import archway.trial.TrialJson;
import archway.trial.TrialResult;
import archway.trial.TrialRunner;
import archway.trial.TrialSpec;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The coordinator's side of cluster trials: joins the cluster as a lite member (it holds no trial data and
 * runs no trials), queues the trials, and waits for their outcomes while it watches the workers:
 * <ul>
 * <li>a worker that leaves the cluster (killed, crashed, unplugged) or stops renewing a lease for
 * {@code leaseTimeout} loses its leases and those trials are queued again (at-least-once);
 * <li>a trial that is neither queued, leased nor done on two sweeps in a row (its worker died between pulling
 * and leasing it) is queued again;
 * <li>trials whose shared state was lost with every worker are submitted again;
 * <li>every trial id is reported once, with the first result published for it; ids already run by this
 * runner return their stored result without running again.
 * </ul>
 * Progress (queued / running / done, per worker) goes to {@code log} whenever it changes.
 */
public final class ClusterTrialRunner implements TrialRunner {
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WORKER_WAIT = Duration.ofSeconds(60);
    private static final long COLLECT_MILLIS = 200;
    private static final long SWEEP_MILLIS = 1000;
    private static final long PROGRESS_MILLIS = 1000;

    private final HazelcastInstance hz;
    private final TrialBoard board;
    private final PrintStream log;
    private final long leaseTimeoutNanos;
    private final AtomicBoolean membersChanged = new AtomicBoolean();
    private final Map<String, TrialResult> done = new HashMap<>();

    /** Joins the cluster and waits up to {@code workerWait} for a first worker. */
    public ClusterTrialRunner(ClusterOptions options, PrintStream log, Duration leaseTimeout, Duration workerWait) {
        this.log = log;
        this.leaseTimeoutNanos = leaseTimeout.toNanos();
        this.hz = ClusterMembers.start(options, ClusterRole.COORDINATOR);
        this.board = new TrialBoard(hz);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                log.println("cluster: " + describe(e.getMember()) + " joined");
                membersChanged.set(true);
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                log.println("cluster: " + describe(e.getMember()) + " left");
                membersChanged.set(true);
            }
        });
        awaitWorker(options, workerWait);
        log.println("cluster: joined " + options.join() + " as " + ClusterProgress.workerName(hz.getCluster()
                .getLocalMember()) + "; workers: " + String.join(", ", workers().stream().map(ClusterProgress::workerName)
                .toList()));
    }

    public ClusterTrialRunner(ClusterOptions options, PrintStream log) {
        this(options, log, DEFAULT_LEASE_TIMEOUT, DEFAULT_WORKER_WAIT);
    }

    private static String describe(Member m) {
        return (m.isLiteMember() ? "coordinator " : "worker ") + ClusterProgress.workerName(m);
    }

    /** Workers in the cluster now. */
    public int workerCount() {
        return workers().size();
    }

    private List<Member> workers() {
        return hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
    }

    private void awaitWorker(ClusterOptions options, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (workers().isEmpty()) {
            if (System.nanoTime() > deadline) {
                hz.shutdown();
                throw new UserError("no worker in the cluster at " + options.join() + " after " + wait.toSeconds()
                        + " s (start one with nas worker --join " + options.join() + ")");
            }
            sleep(200);
        }
    }

    @Override
    public List<TrialResult> runAll(List<TrialSpec> specs) {
        return runAll(specs, r -> { });
    }

    @Override
    public List<TrialResult> runAll(List<TrialSpec> specs, Consumer<TrialResult> onResult) {
        Map<String, TrialSpec> distinct = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(specs.size());
        for (TrialSpec s : specs) {
            String id = s.id();
            ids.add(id);
            if (!done.containsKey(id)) {
                distinct.putIfAbsent(id, s);
            }
        }
        Run run = new Run(distinct, onResult);
        run.submitAll();
        long nextSweep = 0, nextProgress = 0;
        String lastLine = "";
        while (!run.pending.isEmpty()) {
            if (!hz.getLifecycleService().isRunning()) {
                throw new IllegalStateException("this coordinator left the cluster with " + run.pending.size()
                        + " trials unfinished");
            }
            try {
                run.collect();
                long now = System.nanoTime();
                if (now >= nextSweep || membersChanged.getAndSet(false)) {
                    run.sweep(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000;
                }
                if (now >= nextProgress) {
                    String line = run.progressLine();
                    if (!line.equals(lastLine)) {
                        log.println(line);
                        lastLine = line;
                    }
                    nextProgress = now + PROGRESS_MILLIS * 1_000_000;
                }
            } catch (RuntimeException e) {
                if (!hz.getLifecycleService().isRunning()) {
                    continue;
                }
                log.println("cluster: " + e + " (retrying)");
                sleep(1000);
            }
            sleep(COLLECT_MILLIS);
        }
        run.queued = 0;
        run.running = 0;
        run.runningBy = Map.of();
        String last = run.progressLine();
        if (!last.equals(lastLine)) {
            log.println(last);
        }
        done.putAll(run.results);
        List<TrialResult> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(done.get(id)));
        return out;
    }

    /** The bookkeeping of one {@link #runAll} call. */
    private final class Run {
        final Map<String, TrialSpec> trials;
        final Consumer<TrialResult> onResult;
        final Map<String, TrialSpec> pending;
        final Map<String, TrialResult> results = new HashMap<>();
        final Map<String, long[]> beats = new HashMap<>(); // id -> {beat, nanos when it last changed}
        final Map<String, Integer> doneBy = new HashMap<>();
        Set<String> suspects = new HashSet<>();
        int queued, running, failed;
        Map<String, Integer> runningBy = new HashMap<>();

        Run(Map<String, TrialSpec> trials, Consumer<TrialResult> onResult) {
            this.trials = trials;
            this.onResult = onResult;
            this.pending = new LinkedHashMap<>(trials);
            this.queued = trials.size();
        }

        void submitAll() {
            trials.forEach(board::submit);
        }

        void collect() {
            Map<String, String> got = board.results.getAll(pending.keySet());
            for (var e : got.entrySet()) {
                ClusterResult c = TrialJson.read(e.getValue(), ClusterResult.class);
                TrialResult r = c.result();
                pending.remove(e.getKey());
                beats.remove(e.getKey());
                results.put(e.getKey(), r);
                doneBy.merge(c.worker(), 1, Integer::sum);
                if (!r.ok()) {
                    failed++;
                    log.println("cluster: trial " + r.id() + " failed on " + c.attempts() + " attempts, given up: "
                            + r.error());
                }
                onResult.accept(r);
                board.forget(e.getKey());
            }
        }

        void sweep(long now) {
            Set<String> alive = new HashSet<>();
            hz.getCluster().getMembers().forEach(m -> alive.add(m.getUuid().toString()));
            Set<String> inQueue = new HashSet<>(board.queue);
            Set<String> wanted = new HashSet<>(board.specs.keySet());
            Map<String, String> leases = board.leases.getAll(pending.keySet());
            Set<String> newSuspects = new HashSet<>();
            int q = 0, r = 0;
            Map<String, Integer> rb = new HashMap<>();
            for (String id : pending.keySet()) {
                String leaseJson = leases.get(id);
                if (leaseJson != null) {
                    TrialLease lease = TrialJson.read(leaseJson, TrialLease.class);
                    if (!alive.contains(lease.member())) {
                        revoke(id, leaseJson, "worker " + lease.worker() + " left the cluster");
                    } else if (stale(id, lease, now)) {
                        revoke(id, leaseJson, "worker " + lease.worker() + " stopped renewing its lease");
                    } else {
                        r++;
                        rb.merge(lease.worker(), 1, Integer::sum);
                    }
                } else if (inQueue.contains(id)) {
                    q++;
                } else if (!wanted.contains(id)) {
                    log.println("cluster: trial " + id + " was lost with the workers that held it; submitting it again");
                    board.submit(id, pending.get(id));
                    q++;
                } else if (suspects.contains(id) && !board.results.containsKey(id)) {
                    log.println("cluster: trial " + id + " was pulled but never leased; queued again");
                    board.queue.offer(id);
                    q++;
                } else {
                    newSuspects.add(id);
                }
            }
            suspects = newSuspects;
            queued = q;
            running = r;
            runningBy = rb;
        }

        private boolean stale(String id, TrialLease lease, long now) {
            long[] seen = beats.get(id);
            if (seen == null || seen[0] != lease.beat()) {
                beats.put(id, new long[] {lease.beat(), now});
                return false;
            }
            return now - seen[1] > leaseTimeoutNanos;
        }

        private void revoke(String id, String leaseJson, String why) {
            beats.remove(id);
            if (board.leases.remove(id, leaseJson)) {
                board.queue.offer(id);
                log.println("cluster: trial " + id + " queued again: " + why);
            }
        }

        String progressLine() {
            Map<String, ClusterProgress.WorkerLine> lines = new HashMap<>();
            Set<String> alive = new HashSet<>();
            for (Member m : workers()) {
                alive.add(m.getUuid().toString());
            }
            for (var e : board.workers.entrySet()) {
                if (alive.contains(e.getKey())) {
                    WorkerStatus s = TrialJson.read(e.getValue(), WorkerStatus.class);
                    lines.put(s.worker(), new ClusterProgress.WorkerLine(s.slots(), runningBy.getOrDefault(s.worker(), 0),
                            doneBy.getOrDefault(s.worker(), 0)));
                }
            }
            return ClusterProgress.line(queued, running, results.size(), trials.size(), failed, lines);
        }
    }

    @Override
    public void close() {
        hz.shutdown();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for cluster trials", e);
        }
    }
}
