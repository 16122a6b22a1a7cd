package archway.cluster;

/**
 * What a worker publishes about itself for the coordinator's progress line.
 *
 * @param worker  its address
 * @param slots   trials it runs at a time
 * @param device  cpu or cuda
 * @param running trials running now
 * @param done    trials it finished since it started (any search)
 * @param failed  attempts that failed since it started
 */
public record WorkerStatus(String worker, int slots, String device, int running, long done, long failed) {
}
