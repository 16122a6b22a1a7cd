package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * One-call forms of the ZO-DARTS++ size-variable ops (the same results as today's compositions of
 * channel_copy / channel_scale in spaces/nb201/SizeVariable*Op, and the forms the CUDA kernels take):
 * the centre crop of a shared square kernel and the per-channel bias with its gradient.
 */
public final class SizeVariableKernels {
    private static final MethodHandle CROP = CpuLibrary.DOWNCALLS.status("archway_cpu_center_crop",
            PTR, PTR, I32, I32, I32, I32, I32);
    private static final MethodHandle BIAS_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_channel_bias_fwd",
            PTR, PTR, PTR, I32, I32, I32);
    private static final MethodHandle BIAS_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_channel_bias_bwd",
            PTR, PTR, I32, I32, I32, I32);

    private SizeVariableKernels() {
    }

    /** crop[planes, k, k] (+)= the centre of full[planes, big, big] (big - k even, k <= big). */
    public static void cropFwd(MemorySegment full, MemorySegment crop, int planes, int big, int k, boolean accumulate) {
        checkCrop(full, crop, planes, big, k);
        call(full, crop, planes, big, k, 0, accumulate);
    }

    /** dfull centre (+)= dcrop; the rest of dfull is zeroed unless accumulating. */
    public static void cropBwd(MemorySegment dcrop, MemorySegment dfull, int planes, int big, int k, boolean accumulate) {
        checkCrop(dfull, dcrop, planes, big, k);
        call(dcrop, dfull, planes, big, k, 1, accumulate);
    }

    /** y[n, c, hw] = x + b[c]. */
    public static void biasFwd(MemorySegment x, MemorySegment b, MemorySegment y, int n, int c, int hw) {
        SegmentChecks.atLeast(1, "channel_bias shape", n, c, hw);
        long size = (long) n * c * hw;
        SegmentChecks.floats(x, size, "channel_bias_fwd x");
        SegmentChecks.floats(b, c, "channel_bias_fwd b");
        SegmentChecks.floats(y, size, "channel_bias_fwd y");
        try {
            NativeException.check((int) BIAS_FWD.invokeExact(x, b, y, n, c, hw), "archway_cpu_channel_bias_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_channel_bias_fwd", t);
        }
    }

    /** db[c] (+)= sum over n and hw of dy (double accumulation, the CUDA block's lane order). */
    public static void biasBwd(MemorySegment dy, MemorySegment db, int n, int c, int hw, boolean accumulate) {
        SegmentChecks.atLeast(1, "channel_bias shape", n, c, hw);
        SegmentChecks.floats(dy, (long) n * c * hw, "channel_bias_bwd dy");
        SegmentChecks.floats(db, c, "channel_bias_bwd db");
        try {
            NativeException.check((int) BIAS_BWD.invokeExact(dy, db, n, c, hw, SegmentChecks.flag(accumulate)),
                    "archway_cpu_channel_bias_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_channel_bias_bwd", t);
        }
    }

    private static void checkCrop(MemorySegment full, MemorySegment crop, int planes, int big, int k) {
        SegmentChecks.atLeast(1, "center_crop shape", planes, big, k);
        if (k > big || (big - k) % 2 != 0) {
            throw new IllegalArgumentException("center_crop: cannot take a centred " + k + "x" + k + " of " + big + "x"
                    + big);
        }
        SegmentChecks.floats(full, (long) planes * big * big, "center_crop full");
        SegmentChecks.floats(crop, (long) planes * k * k, "center_crop crop");
    }

    private static void call(MemorySegment src, MemorySegment dst, int planes, int big, int k, int bwd,
                             boolean accumulate) {
        try {
            NativeException.check((int) CROP.invokeExact(src, dst, planes, big, k, bwd, SegmentChecks.flag(accumulate)),
                    "archway_cpu_center_crop");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_center_crop", t);
        }
    }
}
