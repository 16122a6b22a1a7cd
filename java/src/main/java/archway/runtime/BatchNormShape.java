package archway.runtime;

/** Batch normalisation over (n, hw) for each of c channels, with the engine's eps and momentum. */
public record BatchNormShape(int n, int c, int hw) {
    /** Added to the variance before the inverse square root (PyTorch's default). */
    public static final float EPS = 1e-5f;
    /**
     * Running statistics update: running = (1 - MOMENTUM) running + MOMENTUM batch, the variance term the
     * unbiased batch variance (PyTorch's default). Every backend binds batch norm with these two values.
     */
    public static final float MOMENTUM = 0.1f;
}
