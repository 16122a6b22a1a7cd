package archway.graph;

/** Where a {@link Value}'s storage lives and what it means. */
public enum ValueKind {
    /** Network input batch (images), filled before each run; a dedicated buffer. */
    INPUT,
    /** int32 class labels of the batch; a dedicated buffer. */
    LABELS,
    /** Trainable weight: a span of the flat weight buffer; its gradient a span of the flat gradient buffer. */
    WEIGHT,
    /** Non-trained state (batch-norm running statistics): a span of the flat state buffer. */
    STATE,
    /** Architecture mixing weights (e.g. softmax(alpha)): a span of the flat mix buffer and its gradient buffer. */
    MIX,
    /** Intermediate result: placed in the arena by the memory planner. */
    ACTIVATION,
    /** Per-op saved tensor (batch-norm statistics, softmax probabilities, loss scalars): in the arena. */
    AUX,
    /** Gradient of an ACTIVATION: in the arena. */
    GRAD
}
