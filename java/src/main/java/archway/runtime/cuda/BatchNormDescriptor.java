package archway.runtime.cuda;

import archway.runtime.BatchNormShape;

/**
 * Spatial batch norm as cuDNN describes it: the activation [n, c, hw] as an NCHW tensor [n, c, hw, 1],
 * the per-channel parameters and statistics as [1, c, 1, 1], and the engine's eps and momentum (PyTorch
 * defaults 1e-5 and 0.1; cuDNN's exponentialAverageFactor is the same momentum, and its saved inverse
 * variance is 1 / sqrt(var + eps), the engine's saved inverse std).
 */
public record BatchNormDescriptor(TensorLayout x, TensorLayout params, double eps, double momentum) {
    /** The engine's batch-norm constants, as the CPU backend binds them (the same float values, widened). */
    public static final double EPS = BatchNormShape.EPS, MOMENTUM = BatchNormShape.MOMENTUM;

    public static BatchNormDescriptor of(BatchNormShape s) {
        if (s.n() < 1 || s.c() < 1 || s.hw() < 1 || (long) s.n() * s.hw() < 2) {
            throw new IllegalArgumentException("batch norm needs n * hw >= 2 values per channel: " + s);
        }
        return new BatchNormDescriptor(TensorLayout.packed(s.n(), s.c(), s.hw(), 1), TensorLayout.packed(1, s.c(), 1, 1),
                EPS, MOMENTUM);
    }
}
