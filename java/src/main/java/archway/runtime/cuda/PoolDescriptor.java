package archway.runtime.cuda;

import archway.runtime.PoolShape;

/**
 * A square max-pooling window as cuDNN describes it (cudnnSetPooling2dDescriptor: window, padding,
 * stride; deterministic max mode), with the input and output layouts. Output size: floor rule
 * (h + 2 pad - kernel) / stride + 1, as the CPU kernels and cuDNN compute it.
 */
public record PoolDescriptor(TensorLayout x, TensorLayout y, int window, int pad, int stride) {
    public static PoolDescriptor of(PoolShape s) {
        if (s.n() < 1 || s.c() < 1 || s.h() < 1 || s.w() < 1 || s.kernel() < 1 || s.stride() < 1 || s.pad() < 0) {
            throw new IllegalArgumentException("pool2d: non-positive size in " + s);
        }
        if (s.pad() > s.kernel() / 2) {
            throw new IllegalArgumentException("pool2d: padding " + s.pad() + " exceeds half the window " + s.kernel());
        }
        if (s.h() + 2 * s.pad() < s.kernel() || s.w() + 2 * s.pad() < s.kernel()) {
            throw new IllegalArgumentException("pool2d: empty output for " + s);
        }
        int oh = (s.h() + 2 * s.pad() - s.kernel()) / s.stride() + 1;
        int ow = (s.w() + 2 * s.pad() - s.kernel()) / s.stride() + 1;
        return new PoolDescriptor(TensorLayout.packed(s.n(), s.c(), s.h(), s.w()),
                TensorLayout.packed(s.n(), s.c(), oh, ow), s.kernel(), s.pad(), s.stride());
    }
}
