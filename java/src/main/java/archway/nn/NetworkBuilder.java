package archway.nn;

import archway.graph.Graph;
import archway.graph.Value;

/** Traces a network's forward pass from an input value to logits [N, classes]. */
@FunctionalInterface
public interface NetworkBuilder {
    Value build(Graph g, Value input);
}
