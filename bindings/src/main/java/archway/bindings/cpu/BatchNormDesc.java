package archway.bindings.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Batch-norm shape and constants, mirrored into the native {@code archway_bn_desc} struct. */
public final class BatchNormDesc {
    /** Layout of archway_bn_desc: int32 n, c, hw; float eps, momentum. */
    public static final MemoryLayout LAYOUT = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("n"),
            ValueLayout.JAVA_INT.withName("c"), ValueLayout.JAVA_INT.withName("hw"),
            ValueLayout.JAVA_FLOAT.withName("eps"), ValueLayout.JAVA_FLOAT.withName("momentum"));

    public final int n, c, hw;
    public final float eps, momentum;
    private final MemorySegment nativeDesc;

    private BatchNormDesc(Arena arena, int n, int c, int hw, float eps, float momentum) {
        if (n < 1 || c < 1 || hw < 1) {
            throw new IllegalArgumentException("batch norm: non-positive shape n=" + n + " c=" + c + " hw=" + hw);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batch norm: eps must be > 0 and momentum in [0,1]");
        }
        this.n = n; this.c = c; this.hw = hw; this.eps = eps; this.momentum = momentum;
        this.nativeDesc = arena.allocate(LAYOUT);
        nativeDesc.set(ValueLayout.JAVA_INT, 0, n);
        nativeDesc.set(ValueLayout.JAVA_INT, 4, c);
        nativeDesc.set(ValueLayout.JAVA_INT, 8, hw);
        nativeDesc.set(ValueLayout.JAVA_FLOAT, 12, eps);
        nativeDesc.set(ValueLayout.JAVA_FLOAT, 16, momentum);
    }

    public static BatchNormDesc of(Arena arena, int n, int c, int hw, float eps, float momentum) {
        return new BatchNormDesc(arena, n, c, hw, eps, momentum);
    }

    /** PyTorch defaults: eps 1e-5, momentum 0.1. */
    public static BatchNormDesc of(Arena arena, int n, int c, int hw) {
        return of(arena, n, c, hw, 1e-5f, 0.1f);
    }

    public long size() { return (long) n * c * hw; }

    public MemorySegment nativeDesc() { return nativeDesc; }
}
