package archway.cluster;

import archway.trial.TrialEvaluator;
import archway.trial.TrialJson;
import archway.trial.TrialResult;
import archway.trial.TrialSpec;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trial-running side of {@code nas worker}: {@code slots} threads, each pulling the next trial id from
 * the queue when it is free, leasing it, evaluating it locally and publishing the outcome. A heartbeat thread
 * renews the leases. A failed attempt is recorded and the trial re-queued, until {@link TrialFailures} says
 * to give up. On {@link #close} the trials still running are handed back to the queue.
 */
public final class ClusterWorker implements AutoCloseable {
    static final long HEARTBEAT_MILLIS = 1000;
    private static final long POLL_MILLIS = 500;

    private final HazelcastInstance hz;
    private final TrialBoard board;
    private final TrialEvaluator evaluator;
    private final int slots;
    private final String device;
    private final PrintStream log;
    private final String member;
    private final String name;
    private final Map<String, TrialLease> active = new ConcurrentHashMap<>();
    private final AtomicLong done = new AtomicLong(), failed = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    public ClusterWorker(HazelcastInstance hz, TrialEvaluator evaluator, int slots, String device, PrintStream log) {
        this.hz = hz;
        this.board = new TrialBoard(hz);
        this.evaluator = evaluator;
        this.slots = slots;
        this.device = device;
        this.log = log;
        this.member = hz.getCluster().getLocalMember().getUuid().toString();
        this.name = ClusterProgress.workerName(hz.getCluster().getLocalMember());
    }

    public String name() {
        return name;
    }

    /** Starts the slot threads and the heartbeat; returns at once. */
    public void start() {
        publishStatus();
        for (int i = 0; i < slots; i++) {
            int slot = i;
            Thread t = new Thread(() -> slotLoop(slot), "trial-slot-" + slot);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Blocks until the member has left the cluster (shut down, or refused by the membership guard). */
    public void awaitShutdown() throws InterruptedException {
        while (hz.getLifecycleService().isRunning()) {
            Thread.sleep(200);
        }
    }

    private void slotLoop(int slot) {
        while (running) {
            try {
                String id = board.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (id != null) {
                    take(id, slot);
                }
            } catch (InterruptedException e) {
                return;
            } catch (HazelcastInstanceNotActiveException e) {
                return;
            } catch (RuntimeException e) {
                if (!running || !hz.getLifecycleService().isRunning()) {
                    return;
                }
                log.println("worker: " + e + " (retrying)");
                sleepQuietly(POLL_MILLIS);
            }
        }
    }

    private void take(String id, int slot) {
        String specJson = board.specs.get(id);
        if (specJson == null || board.results.containsKey(id)) {
            return; // finished or no longer wanted: a duplicate queue entry
        }
        TrialLease lease = new TrialLease(member, name, slot, 0);
        if (board.leases.putIfAbsent(id, TrialJson.write(lease)) != null) {
            return; // another worker runs it; the coordinator re-queues it should that worker be lost
        }
        active.put(id, lease);
        publishStatus();
        TrialSpec spec = TrialJson.readSpec(specJson);
        log.printf("worker %s: trial %s start (slot %d)%n", name, id, slot);
        Map<String, Double> metrics = null;
        String error = null;
        try {
            metrics = evaluator.evaluate(spec);
        } catch (Throwable e) { // any failure, errors included: a slot that died would hold its lease forever
            error = e.getClass().getSimpleName() + ": " + e.getMessage(); // as LocalTrialRunner reports it
        }
        release(id);
        if (metrics != null) {
            board.publish(new ClusterResult(TrialResult.ok(spec, metrics), name, attemptsSoFar(id) + 1));
            done.incrementAndGet();
            log.printf("worker %s: trial %s done%n", name, id);
        } else {
            failed.incrementAndGet();
            recordFailure(spec, error);
        }
        publishStatus();
    }

    private int attemptsSoFar(String id) {
        String f = board.failures.get(id);
        return f == null ? 0 : TrialJson.read(f, TrialFailures.class).attempts().size();
    }

    private void recordFailure(TrialSpec spec, String error) {
        String id = spec.id();
        board.failures.lock(id);
        try {
            String f = board.failures.get(id);
            TrialFailures all = (f == null ? TrialFailures.none() : TrialJson.read(f, TrialFailures.class))
                    .plus(new TrialFailures.Attempt(name, error));
            board.failures.set(id, TrialJson.write(all));
            String giveUp = all.giveUpError();
            if (giveUp != null) {
                board.publish(new ClusterResult(TrialResult.failed(spec, giveUp), name, all.attempts().size()));
                log.printf("worker %s: trial %s failed, given up after %s: %s%n", name, id, all.where(), giveUp);
            } else {
                board.queue.offer(id);
                log.printf("worker %s: trial %s failed (attempt %d, re-queued): %s%n", name, id, all.attempts().size(),
                        error);
            }
        } finally {
            board.failures.unlock(id);
        }
    }

    /** Drops this worker's lease on {@code id} (unless the coordinator already revoked it). */
    private void release(String id) {
        TrialLease lease = active.remove(id);
        if (lease != null) {
            board.leases.remove(id, TrialJson.write(lease));
        }
    }

    private void beat() {
        try {
            for (var e : active.entrySet()) {
                TrialLease now = e.getValue(), next = now.next();
                // replace, never put: a lease the coordinator revoked stays revoked.
                if (board.leases.replace(e.getKey(), TrialJson.write(now), TrialJson.write(next))) {
                    active.replace(e.getKey(), now, next);
                }
            }
        } catch (RuntimeException e) {
            // the member is shutting down; the next beat (if any) tries again
        }
    }

    private void publishStatus() {
        try {
            board.workers.set(member, TrialJson.write(new WorkerStatus(name, slots, device, active.size(),
                    done.get(), failed.get())));
        } catch (RuntimeException e) {
            // status is for people only
        }
    }

    /** Stops pulling, hands running trials back to the queue and leaves the cluster. */
    @Override
    public void close() {
        running = false;
        heartbeat.shutdownNow();
        threads.forEach(Thread::interrupt);
        try {
            if (hz.getLifecycleService().isRunning()) {
                for (String id : List.copyOf(active.keySet())) {
                    release(id);
                    board.queue.offer(id);
                }
                board.workers.delete(member);
            }
        } catch (RuntimeException e) {
            // leaving anyway: the coordinator re-queues trials of members that are gone
        }
        hz.shutdown();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
