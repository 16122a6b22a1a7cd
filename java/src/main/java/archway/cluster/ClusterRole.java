package archway.cluster;

/** What a member does: workers hold the trial data and run trials; a coordinator (lite member) submits them. */
public enum ClusterRole {
    WORKER, COORDINATOR
}
