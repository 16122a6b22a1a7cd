package archway.graph;

/** Batch-norm behaviour of a plan. */
public enum Mode {
    /** Batch statistics, running statistics updated (search and training steps). */
    TRAIN,
    /** Running statistics (evaluation). */
    EVAL
}
