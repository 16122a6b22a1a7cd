package archway.cluster;

import archway.trials.TrialJson;
import archway.trials.TrialOutcome;
import archway.trials.TrialTask;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * The cluster's shared trial state, all plain JSON strings keyed by trial id (no Java serialization):
 * <ul>
 * <li>{@code queue}: ids waiting for a free slot; workers pull from it (a trial is never pushed to a member);
 * <li>{@code specs}: id -> {@link TrialTask}, present while the trial is wanted;
 * <li>{@code leases}: id -> {@link TrialLease} of the worker running it, renewed by heartbeats;
 * <li>{@code results}: id -> {@link TrialOutcome}; the first outcome wins (putIfAbsent), duplicates are dropped;
 * <li>{@code failures}: id -> {@link TrialFailures}, the failed attempts so far;
 * <li>{@code workers}: member uuid -> {@link WorkerStatus}, for progress.
 * </ul>
 * The coordinator is the source of truth for which trials are wanted: if the workers holding these
 * structures are all lost, it submits the missing trials again.
 */
public final class TrialBoard {
    public final IQueue<String> queue;
    public final IMap<String, String> specs;
    public final IMap<String, String> leases;
    public final IMap<String, String> results;
    public final IMap<String, String> failures;
    public final IMap<String, String> workers;

    public TrialBoard(HazelcastInstance hz) {
        queue = hz.getQueue("archway.trials.queue");
        specs = hz.getMap("archway.trials.specs");
        leases = hz.getMap("archway.trials.leases");
        results = hz.getMap("archway.trials.results");
        failures = hz.getMap("archway.trials.failures");
        workers = hz.getMap("archway.workers");
    }

    /** Makes a trial wanted and queues it. */
    public void submit(TrialTask t) {
        specs.set(t.id(), TrialJson.write(t));
        queue.offer(t.id());
    }

    /** Publishes an outcome unless one is there already; returns whether this one was kept. */
    public boolean publish(TrialOutcome o) {
        return results.putIfAbsent(o.id(), TrialJson.write(o)) == null;
    }

    /** Forgets a finished trial (its outcome has been archived by the coordinator). */
    public void forget(String id) {
        specs.delete(id);
        results.delete(id);
        failures.delete(id);
        leases.delete(id);
    }
}
