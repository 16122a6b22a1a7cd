package archway.graph;

/** Creates a step once buffers are placed; called again if the workspace moves. */
@FunctionalInterface
public interface StepFactory {
    Step create(Buffers b);
}
