package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Data movement between NCHW tensors: channel-range copies (concat and slice, forward and backward),
 * channel shuffle, and the spatial window shift used by factorized reduce. {@code accumulate} adds into
 * the destination instead of overwriting it.
 */
public final class ChannelKernels {
    private static final MethodHandle COPY = CpuLibrary.DOWNCALLS.status("archway_cpu_channel_copy",
            PTR, PTR, I32, I32, I32, I32, I32, I32, I32, I32);
    private static final MethodHandle SHUFFLE = CpuLibrary.DOWNCALLS.status("archway_cpu_channel_shuffle",
            PTR, PTR, I32, I32, I32, I32, I32, I32);
    private static final MethodHandle SHIFT = CpuLibrary.DOWNCALLS.status("archway_cpu_spatial_shift",
            PTR, PTR, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32);

    private ChannelKernels() {
    }

    /**
     * Channels [srcC0, srcC0 + count) of src[n, srcC, hw] go to channels [dstC0, dstC0 + count) of
     * dst[n, dstC, hw]; other channels of dst are untouched.
     */
    public static void channelCopy(MemorySegment src, MemorySegment dst, int n, int srcC, int srcC0, int dstC, int dstC0,
                                   int count, int hw, boolean accumulate) {
        SegmentChecks.atLeast(1, "channel_copy n/hw", n, hw);
        SegmentChecks.atLeast(0, "channel_copy offsets/count", srcC0, dstC0, count);
        if ((long) srcC0 + count > srcC || (long) dstC0 + count > dstC) {
            throw new IllegalArgumentException("channel_copy: range " + count + " from " + srcC0 + " of " + srcC
                    + " to " + dstC0 + " of " + dstC + " is out of bounds");
        }
        SegmentChecks.floats(src, (long) n * srcC * hw, "channel_copy src");
        SegmentChecks.floats(dst, (long) n * dstC * hw, "channel_copy dst");
        try {
            NativeException.check((int) COPY.invokeExact(src, dst, n, srcC, srcC0, dstC, dstC0, count, hw,
                    SegmentChecks.flag(accumulate)), "archway_cpu_channel_copy");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_channel_copy", t);
        }
    }

    /**
     * y[n, c, hw] = x with channels shuffled across {@code groups} groups (c = groups * cpg; output
     * channel i*groups+g takes input channel g*cpg+i). {@code inverse} applies the inverse permutation,
     * which is also the backward.
     */
    public static void channelShuffle(MemorySegment x, MemorySegment y, int n, int c, int hw, int groups, boolean inverse,
                                      boolean accumulate) {
        SegmentChecks.atLeast(1, "channel_shuffle shape", n, c, hw, groups);
        if (c % groups != 0) {
            throw new IllegalArgumentException("channel_shuffle: " + c + " channels not divisible by " + groups + " groups");
        }
        long size = (long) n * c * hw;
        SegmentChecks.floats(x, size, "channel_shuffle x");
        SegmentChecks.floats(y, size, "channel_shuffle y");
        try {
            NativeException.check((int) SHUFFLE.invokeExact(x, y, n, c, hw, groups, SegmentChecks.flag(inverse),
                    SegmentChecks.flag(accumulate)), "archway_cpu_channel_shuffle");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_channel_shuffle", t);
        }
    }

    /**
     * Forward: y[n, c, oh, ow] = x[n, c, i + offH, j + offW], zero where that lies outside x[n, c, h, w].
     * Backward ({@code backward} true): x is dy[n, c, oh, ow] and y is dx[n, c, h, w], which receives
     * the adjoint scatter (zero where nothing maps, unless accumulating).
     */
    public static void spatialShift(MemorySegment x, MemorySegment y, int n, int c, int h, int w, int oh, int ow, int offH,
                                    int offW, boolean backward, boolean accumulate) {
        SegmentChecks.atLeast(1, "spatial_shift shape", n, c, h, w, oh, ow);
        long in = (long) n * c * h * w, out = (long) n * c * oh * ow;
        SegmentChecks.floats(x, backward ? out : in, backward ? "spatial_shift dy" : "spatial_shift x");
        SegmentChecks.floats(y, backward ? in : out, backward ? "spatial_shift dx" : "spatial_shift y");
        try {
            NativeException.check((int) SHIFT.invokeExact(x, y, n, c, h, w, oh, ow, offH, offW,
                    SegmentChecks.flag(backward), SegmentChecks.flag(accumulate)), "archway_cpu_spatial_shift");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_spatial_shift", t);
        }
    }
}
