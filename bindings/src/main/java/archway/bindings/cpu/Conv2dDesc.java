package archway.bindings.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A 2-D convolution's static shape, validated once and mirrored into the native
 * {@code archway_conv2d_desc} struct so that every kernel call passes one pointer.
 * x[n, c, h, w], weight[k, c/groups, kh, kw], y[n, k, oh, ow].
 */
public final class Conv2dDesc {
    /** Layout of archway_conv2d_desc: 16 int32 fields in header order. */
    public static final MemoryLayout LAYOUT = MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_INT);

    public final int n, c, h, w, k, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups, oh, ow;
    private final MemorySegment nativeDesc;

    private Conv2dDesc(Arena arena, int n, int c, int h, int w, int k, int kh, int kw, int strideH, int strideW,
                       int padH, int padW, int dilH, int dilW, int groups) {
        if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0 || dilH < 1 || dilW < 1 || groups < 1) {
            throw new IllegalArgumentException("conv2d: non-positive size in " + describe(n, c, h, w, k, kh, kw,
                    strideH, strideW, padH, padW, dilH, dilW, groups));
        }
        if (c % groups != 0 || k % groups != 0) {
            throw new IllegalArgumentException("conv2d: channels " + c + " -> " + k + " not divisible by groups " + groups);
        }
        this.oh = (h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1;
        this.ow = (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: empty output for input " + h + "x" + w + " and kernel "
                    + kh + "x" + kw + " (dilation " + dilH + ")");
        }
        this.n = n; this.c = c; this.h = h; this.w = w; this.k = k; this.kh = kh; this.kw = kw;
        this.strideH = strideH; this.strideW = strideW; this.padH = padH; this.padW = padW;
        this.dilH = dilH; this.dilW = dilW; this.groups = groups;
        this.nativeDesc = arena.allocate(LAYOUT);
        int[] f = {n, c, h, w, k, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups, oh, ow};
        for (int i = 0; i < f.length; i++) {
            nativeDesc.setAtIndex(ValueLayout.JAVA_INT, i, f[i]);
        }
    }

    /** Validates the shape and allocates its native mirror in {@code arena}. */
    public static Conv2dDesc of(Arena arena, int n, int c, int h, int w, int k, int kh, int kw, int strideH,
                                int strideW, int padH, int padW, int dilH, int dilW, int groups) {
        return new Conv2dDesc(arena, n, c, h, w, k, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups);
    }

    /** Square kernel, equal strides/padding/dilation. */
    public static Conv2dDesc square(Arena arena, int n, int c, int h, int w, int k, int kernel, int stride, int pad,
                                    int dilation, int groups) {
        return of(arena, n, c, h, w, k, kernel, kernel, stride, stride, pad, pad, dilation, dilation, groups);
    }

    public long inputSize() { return (long) n * c * h * w; }

    public long weightSize() { return (long) k * (c / groups) * kh * kw; }

    public long outputSize() { return (long) n * k * oh * ow; }

    /** Multiply-accumulates of one forward pass. */
    public long macs() { return (long) n * k * oh * ow * (c / groups) * kh * kw; }

    public MemorySegment nativeDesc() { return nativeDesc; }

    @Override
    public String toString() {
        return describe(n, c, h, w, k, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups);
    }

    private static String describe(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int ph, int pw,
                                   int dh, int dw, int g) {
        return "x[" + n + "," + c + "," + h + "," + w + "] k=" + k + " kernel " + kh + "x" + kw + " stride " + sh + "x" + sw
                + " pad " + ph + "x" + pw + " dil " + dh + "x" + dw + " groups " + g;
    }
}
