package archway.runtime.cuda;

import archway.runtime.ConvShape;

/**
 * Everything cuDNN needs to describe one convolution, computed from the engine's {@link ConvShape}:
 * input and output layouts, the filter dims [k, c / groups, kh, kw], padding, stride, dilation and the
 * group count (depthwise: groups = c = k). The output size follows the engine's (and cuDNN's) rule
 * (h + 2 pad - dilation (kernel - 1) - 1) / stride + 1. Being a record, it is also the key under which
 * the chosen cuDNN algorithms are cached.
 */
public record ConvDescriptor(TensorLayout x, TensorLayout y, int filterK, int filterC, int filterH, int filterW,
                             int pad, int stride, int dilation, int groups) {
    public static ConvDescriptor of(ConvShape s) {
        if (s.n() < 1 || s.c() < 1 || s.h() < 1 || s.w() < 1 || s.k() < 1 || s.kernel() < 1 || s.stride() < 1
                || s.pad() < 0 || s.dilation() < 1 || s.groups() < 1) {
            throw new IllegalArgumentException("conv2d: non-positive size in " + s);
        }
        if (s.c() % s.groups() != 0 || s.k() % s.groups() != 0) {
            throw new IllegalArgumentException("conv2d: channels " + s.c() + " -> " + s.k() + " not divisible by groups "
                    + s.groups());
        }
        int span = s.dilation() * (s.kernel() - 1) + 1;
        int oh = (s.h() + 2 * s.pad() - span) / s.stride() + 1;
        int ow = (s.w() + 2 * s.pad() - span) / s.stride() + 1;
        if (s.h() + 2 * s.pad() < span || s.w() + 2 * s.pad() < span) {
            throw new IllegalArgumentException("conv2d: empty output for " + s);
        }
        return new ConvDescriptor(TensorLayout.packed(s.n(), s.c(), s.h(), s.w()),
                TensorLayout.packed(s.n(), s.k(), oh, ow), s.k(), s.c() / s.groups(), s.kernel(), s.kernel(),
                s.pad(), s.stride(), s.dilation(), s.groups());
    }

    /** Filter elements: k * (c / groups) * kh * kw. */
    public long filterElements() {
        return (long) filterK * filterC * filterH * filterW;
    }

    public boolean depthwise() {
        return groups > 1 && groups == x.c() && filterK == groups;
    }
}
