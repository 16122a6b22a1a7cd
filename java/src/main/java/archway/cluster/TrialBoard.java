package archway.cluster;

import archway.trial.TrialJson;
import archway.trial.TrialSpec;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * The cluster's shared trial state, all plain JSON strings keyed by trial id (no Java serialization):
 * <ul>
 * <li>{@code queue}: ids waiting for a free slot; workers pull from it (a trial is never pushed to a member);
 * <li>{@code specs}: id -> {@link TrialSpec}, present while the trial is wanted;
 * <li>{@code leases}: id -> {@link TrialLease} of the worker running it, renewed by heartbeats;
 * <li>{@code results}: id -> {@link ClusterResult}; the first result wins (putIfAbsent), duplicates are dropped;
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
    public void submit(String id, TrialSpec spec) {
        specs.set(id, TrialJson.write(spec));
        queue.offer(id);
    }

    /** Publishes a result unless one is there already; returns whether this one was kept. */
    public boolean publish(ClusterResult r) {
        return results.putIfAbsent(r.result().id(), TrialJson.write(r)) == null;
    }

    /** Forgets a finished trial (the coordinator has its result). */
    public void forget(String id) {
        specs.delete(id);
        results.delete(id);
        failures.delete(id);
        leases.delete(id);
    }
}
