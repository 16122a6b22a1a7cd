package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Sibling convolutions: two convolutions of one input x with filters w1 [k1, c, kh, kw] and w2
 * [k - k1, c, kh, kw], optionally with the fused input ReLU of {@link ReluConvKernels}. {@code d} describes
 * the pair as one convolution with k = k1 + k2 output channels (groups 1). Where the library's automatic
 * algorithm for {@code d} is a vectorised Winograd kernel the pair runs as that one convolution (x read and
 * transformed once, products twice as deep); otherwise as two calls. Outputs and weight gradients are
 * bit-identical to two calls of {@link ConvKernels} / {@link ReluConvKernels}; the data gradient sums over
 * both dy at once, so it may differ from two calls by rounding.
 */
public final class SiblingConvKernels {
    private static final MethodHandle FWD =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_siblings_fwd", PTR, I32, I32, PTR, PTR, PTR, PTR, PTR);
    private static final MethodHandle BWD_DATA = CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_siblings_bwd_data",
            PTR, I32, PTR, PTR, PTR, PTR, PTR, PTR, I32);
    private static final MethodHandle BWD_FILTER = CpuLibrary.DOWNCALLS.status(
            "archway_cpu_conv2d_siblings_bwd_filter", PTR, I32, I32, PTR, PTR, PTR, PTR, PTR, I32);

    private SiblingConvKernels() {
    }

    /** y1 = conv(relu ? relu(x) : x, w1), y2 = the same with w2; both overwritten. */
    public static void forward(Conv2dDesc d, int k1, boolean relu, MemorySegment x, MemorySegment w1, MemorySegment w2,
                               MemorySegment y1, MemorySegment y2) {
        checkSplit(d, k1);
        long perK = perK(d), plane = (long) d.oh * d.ow;
        SegmentChecks.floats(x, d.inputSize(), "conv2d_siblings_fwd x");
        SegmentChecks.floats(w1, perK * k1, "conv2d_siblings_fwd w1");
        SegmentChecks.floats(w2, perK * (d.k - k1), "conv2d_siblings_fwd w2");
        SegmentChecks.floats(y1, (long) d.n * k1 * plane, "conv2d_siblings_fwd y1");
        SegmentChecks.floats(y2, (long) d.n * (d.k - k1) * plane, "conv2d_siblings_fwd y2");
        try {
            NativeException.check((int) FWD.invokeExact(d.nativeDesc(), k1, SegmentChecks.flag(relu), x, w1, w2, y1, y2),
                    "archway_cpu_conv2d_siblings_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_siblings_fwd", t);
        }
    }

    /**
     * dx (+)= the data gradients of dy1 through w1 and of dy2 through w2, times relu'(reluX) when reluX is
     * not null (the fused ReLU's backward).
     */
    public static void backwardData(Conv2dDesc d, int k1, MemorySegment reluX, MemorySegment dy1, MemorySegment dy2,
                                    MemorySegment w1, MemorySegment w2, MemorySegment dx, boolean accumulate) {
        checkSplit(d, k1);
        long perK = perK(d), plane = (long) d.oh * d.ow;
        SegmentChecks.optionalFloats(reluX, d.inputSize(), "conv2d_siblings_bwd_data x");
        SegmentChecks.floats(dy1, (long) d.n * k1 * plane, "conv2d_siblings_bwd_data dy1");
        SegmentChecks.floats(dy2, (long) d.n * (d.k - k1) * plane, "conv2d_siblings_bwd_data dy2");
        SegmentChecks.floats(w1, perK * k1, "conv2d_siblings_bwd_data w1");
        SegmentChecks.floats(w2, perK * (d.k - k1), "conv2d_siblings_bwd_data w2");
        SegmentChecks.floats(dx, d.inputSize(), "conv2d_siblings_bwd_data dx");
        try {
            NativeException.check((int) BWD_DATA.invokeExact(d.nativeDesc(), k1, NullSegments.orNull(reluX), dy1, dy2,
                    w1, w2, dx, SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_siblings_bwd_data");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_siblings_bwd_data", t);
        }
    }

    /** dw1 (+)= the weight gradient of (relu ? relu(x) : x) and dy1, dw2 (+)= that of dy2. */
    public static void backwardFilter(Conv2dDesc d, int k1, boolean relu, MemorySegment x, MemorySegment dy1,
                                      MemorySegment dy2, MemorySegment dw1, MemorySegment dw2, boolean accumulate) {
        checkSplit(d, k1);
        long perK = perK(d), plane = (long) d.oh * d.ow;
        SegmentChecks.floats(x, d.inputSize(), "conv2d_siblings_bwd_filter x");
        SegmentChecks.floats(dy1, (long) d.n * k1 * plane, "conv2d_siblings_bwd_filter dy1");
        SegmentChecks.floats(dy2, (long) d.n * (d.k - k1) * plane, "conv2d_siblings_bwd_filter dy2");
        SegmentChecks.floats(dw1, perK * k1, "conv2d_siblings_bwd_filter dw1");
        SegmentChecks.floats(dw2, perK * (d.k - k1), "conv2d_siblings_bwd_filter dw2");
        try {
            NativeException.check((int) BWD_FILTER.invokeExact(d.nativeDesc(), k1, SegmentChecks.flag(relu), x, dy1, dy2,
                    dw1, dw2, SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_siblings_bwd_filter");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_siblings_bwd_filter", t);
        }
    }

    private static long perK(Conv2dDesc d) {
        return (long) d.c * d.kh * d.kw;
    }

    private static void checkSplit(Conv2dDesc d, int k1) {
        if (d.groups != 1 || k1 < 1 || k1 >= d.k) {
            throw new IllegalArgumentException("conv2d siblings: split " + k1 + " of " + d.k + " output channels (groups "
                    + d.groups + ") must leave both convolutions at least one channel, with groups 1");
        }
    }
}
