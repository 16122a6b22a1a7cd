package archway.graph;

/** Which part of a plan a step belongs to, for per-phase timing. */
public enum Phase {
    FORWARD,
    BACKWARD
}
