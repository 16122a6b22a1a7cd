package archway.bindings.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A 2-D pooling window's static shape, mirrored into the native {@code archway_pool2d_desc} struct. */
public final class Pool2dDesc {
    /** Layout of archway_pool2d_desc: 13 int32 fields in header order. */
    public static final MemoryLayout LAYOUT = MemoryLayout.sequenceLayout(13, ValueLayout.JAVA_INT);

    public final int n, c, h, w, kh, kw, strideH, strideW, padH, padW, oh, ow;
    public final boolean countIncludePad;
    private final MemorySegment nativeDesc;

    private Pool2dDesc(Arena arena, int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH,
                       int padW, boolean countIncludePad) {
        if (n < 1 || c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pool2d: non-positive size");
        }
        if (padH > kh / 2 || padW > kw / 2) {
            throw new IllegalArgumentException("pool2d: padding " + padH + "x" + padW + " exceeds half the window "
                    + kh + "x" + kw);
        }
        this.oh = (h + 2 * padH - kh) / strideH + 1;
        this.ow = (w + 2 * padW - kw) / strideW + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("pool2d: empty output for " + h + "x" + w + " window " + kh + "x" + kw);
        }
        this.n = n; this.c = c; this.h = h; this.w = w; this.kh = kh; this.kw = kw;
        this.strideH = strideH; this.strideW = strideW; this.padH = padH; this.padW = padW;
        this.countIncludePad = countIncludePad;
        this.nativeDesc = arena.allocate(LAYOUT);
        int[] f = {n, c, h, w, kh, kw, strideH, strideW, padH, padW, oh, ow, countIncludePad ? 1 : 0};
        for (int i = 0; i < f.length; i++) {
            nativeDesc.setAtIndex(ValueLayout.JAVA_INT, i, f[i]);
        }
    }

    public static Pool2dDesc of(Arena arena, int n, int c, int h, int w, int kh, int kw, int strideH, int strideW,
                                int padH, int padW, boolean countIncludePad) {
        return new Pool2dDesc(arena, n, c, h, w, kh, kw, strideH, strideW, padH, padW, countIncludePad);
    }

    /** Square window with equal stride and padding. */
    public static Pool2dDesc square(Arena arena, int n, int c, int h, int w, int kernel, int stride, int pad,
                                    boolean countIncludePad) {
        return of(arena, n, c, h, w, kernel, kernel, stride, stride, pad, pad, countIncludePad);
    }

    public long inputSize() { return (long) n * c * h * w; }

    public long outputSize() { return (long) n * c * oh * ow; }

    public MemorySegment nativeDesc() { return nativeDesc; }
}
