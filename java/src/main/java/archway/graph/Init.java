package archway.graph;

/**
 * How a weight is initialised. Draws come from Philox keyed (seed, purpose INIT, entry index), so a
 * network's initial weights depend only on the seed and the order parameters were registered.
 */
public sealed interface Init {
    /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's default for conv and linear layers. */
    record Uniform(int fanIn) implements Init {
        public Uniform {
            if (fanIn < 1) {
                throw new IllegalArgumentException("fanIn must be >= 1");
            }
        }
    }

    /** Every element equal to value (batch-norm gamma 1, beta 0). */
    record Constant(float value) implements Init {
    }

    /** scale * N(0, 1) (DARTS alpha: 1e-3 * N(0,1)). */
    record Normal(float scale) implements Init {
    }
}
