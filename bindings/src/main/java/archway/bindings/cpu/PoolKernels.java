package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Window pooling on x[n, c, h, w] -> y[n, c, oh, ow] (shape from {@link Pool2dDesc}) and global
 * average pooling x[n, c, hw] -> y[n, c]. Average pooling divides by kh kw when the descriptor counts
 * padding, else by the number of window cells inside the image. Max pooling routes each gradient to
 * the first maximum of its window in row-major order, recomputed from x.
 */
public final class PoolKernels {
    private static final MethodHandle AVG_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_avgpool2d_fwd", PTR, PTR, PTR);
    private static final MethodHandle AVG_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_avgpool2d_bwd", PTR, PTR, PTR, I32);
    private static final MethodHandle MAX_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_maxpool2d_fwd", PTR, PTR, PTR);
    private static final MethodHandle MAX_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_maxpool2d_bwd",
            PTR, PTR, PTR, PTR, I32);
    private static final MethodHandle GAP_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_global_avgpool_fwd",
            PTR, PTR, I32, I32, I32);
    private static final MethodHandle GAP_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_global_avgpool_bwd",
            PTR, PTR, I32, I32, I32, I32);

    private PoolKernels() {
    }

    public static void avgpool2dFwd(Pool2dDesc d, MemorySegment x, MemorySegment y) {
        Objects.requireNonNull(d, "pool desc");
        SegmentChecks.floats(x, d.inputSize(), "avgpool2d_fwd x");
        SegmentChecks.floats(y, d.outputSize(), "avgpool2d_fwd y");
        try {
            NativeException.check((int) AVG_FWD.invokeExact(d.nativeDesc(), x, y), "archway_cpu_avgpool2d_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_avgpool2d_fwd", t);
        }
    }

    /** dx (+)= the adjoint of average pooling applied to dy. */
    public static void avgpool2dBwd(Pool2dDesc d, MemorySegment dy, MemorySegment dx, boolean accumulate) {
        Objects.requireNonNull(d, "pool desc");
        SegmentChecks.floats(dy, d.outputSize(), "avgpool2d_bwd dy");
        SegmentChecks.floats(dx, d.inputSize(), "avgpool2d_bwd dx");
        try {
            NativeException.check((int) AVG_BWD.invokeExact(d.nativeDesc(), dy, dx, SegmentChecks.flag(accumulate)),
                    "archway_cpu_avgpool2d_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_avgpool2d_bwd", t);
        }
    }

    public static void maxpool2dFwd(Pool2dDesc d, MemorySegment x, MemorySegment y) {
        Objects.requireNonNull(d, "pool desc");
        SegmentChecks.floats(x, d.inputSize(), "maxpool2d_fwd x");
        SegmentChecks.floats(y, d.outputSize(), "maxpool2d_fwd y");
        try {
            NativeException.check((int) MAX_FWD.invokeExact(d.nativeDesc(), x, y), "archway_cpu_maxpool2d_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_maxpool2d_fwd", t);
        }
    }

    /** dx (+)= dy routed to the first maximum of each window (x is the forward input). */
    public static void maxpool2dBwd(Pool2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment dx, boolean accumulate) {
        Objects.requireNonNull(d, "pool desc");
        SegmentChecks.floats(x, d.inputSize(), "maxpool2d_bwd x");
        SegmentChecks.floats(dy, d.outputSize(), "maxpool2d_bwd dy");
        SegmentChecks.floats(dx, d.inputSize(), "maxpool2d_bwd dx");
        try {
            NativeException.check((int) MAX_BWD.invokeExact(d.nativeDesc(), x, dy, dx, SegmentChecks.flag(accumulate)),
                    "archway_cpu_maxpool2d_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_maxpool2d_bwd", t);
        }
    }

    /** y[n, c] = mean over hw of x[n, c, hw]. */
    public static void globalAvgpoolFwd(MemorySegment x, MemorySegment y, int n, int c, int hw) {
        SegmentChecks.atLeast(1, "global_avgpool shape", n, c, hw);
        SegmentChecks.floats(x, (long) n * c * hw, "global_avgpool_fwd x");
        SegmentChecks.floats(y, (long) n * c, "global_avgpool_fwd y");
        try {
            NativeException.check((int) GAP_FWD.invokeExact(x, y, n, c, hw), "archway_cpu_global_avgpool_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_global_avgpool_fwd", t);
        }
    }

    /** dx[n, c, hw] (+)= dy[n, c] / hw. */
    public static void globalAvgpoolBwd(MemorySegment dy, MemorySegment dx, int n, int c, int hw, boolean accumulate) {
        SegmentChecks.atLeast(1, "global_avgpool shape", n, c, hw);
        SegmentChecks.floats(dy, (long) n * c, "global_avgpool_bwd dy");
        SegmentChecks.floats(dx, (long) n * c * hw, "global_avgpool_bwd dx");
        try {
            NativeException.check((int) GAP_BWD.invokeExact(dy, dx, n, c, hw, SegmentChecks.flag(accumulate)),
                    "archway_cpu_global_avgpool_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_global_avgpool_bwd", t);
        }
    }
}
