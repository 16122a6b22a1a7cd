package archway.cluster;

/**
 * A worker's claim on a running trial. The coordinator re-queues the trial when the member leaves the
 * cluster or when {@code beat} stops changing for the lease timeout (judged by the coordinator's own clock,
 * so clocks of different machines never need to agree).
 *
 * @param member  Hazelcast member uuid of the worker
 * @param worker  the worker's address, for people
 * @param slot    slot index on that worker
 * @param beat    heartbeat counter, incremented every {@link ClusterWorker#HEARTBEAT_MILLIS}
 */
public record TrialLease(String member, String worker, int slot, long beat) {
    TrialLease next() {
        return new TrialLease(member, worker, slot, beat + 1);
    }
}
