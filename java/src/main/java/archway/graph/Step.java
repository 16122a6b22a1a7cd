package archway.graph;

/** One native call (or a few) with every buffer resolved at plan time; runs without allocating. */
@FunctionalInterface
public interface Step {
    void run();
}
