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
 * transformed once, products twice as deep); otherwise as two calls. Weight gradients are bit-identical to
 * two calls of {@link ConvKernels} / {@link ReluConvKernels}, and outputs where the merged shape takes the
 * single shapes' algorithm; otherwise outputs (another Winograd tiling) and the data gradient (one sum over
 * both dy) differ from two calls by rounding.
 */
public final class SiblingConvKernels {
    private static final MethodHandle FWD =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_siblings_fwd", PTR, I32, I32, PTR, PTR, PTR, PTR, PTR);
    private static final MethodHandle BWD_DATA = CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_siblings_bwd_data",
            PTR, I32, PTR, PTR, PTR, PTR, PTR, PTR, I32);
    private static final MethodHandle BWD_FILTER = CpuLibrary.DOWNCALLS.status(
            "archway_cpu_conv2d_siblings_bwd_filter", PTR, I32, I32, PTR, PTR, PTR, PTR, PTR, I32);
    private static final MethodHandle MERGED =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_siblings_merged", PTR, I32, I32);

    /** The passes of a sibling pair, in the order of the native query's pass argument. */
    public enum Pass { FORWARD, DATA_GRADIENT, WEIGHT_GRADIENT }

    private SiblingConvKernels() {
    }

    /** y1 = conv(relu ? relu(x) : x, w1), y2 = the same with w2; both overwritten. */
    public static void forward(Conv2dDesc d, int k1, boolean relu, MemorySegment x, MemorySegment w1, MemorySegment w2,
                               MemorySegment y1, MemorySegment y2) {
        checkPairs(d, k1, "conv2d_siblings_fwd", y1, y2, w1, w2);
        SegmentChecks.floats(x, d.inputSize(), "conv2d_siblings_fwd x");
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
        checkPairs(d, k1, "conv2d_siblings_bwd_data", dy1, dy2, w1, w2);
        SegmentChecks.optionalFloats(reluX, d.inputSize(), "conv2d_siblings_bwd_data x");
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
        checkPairs(d, k1, "conv2d_siblings_bwd_filter", dy1, dy2, dw1, dw2);
        SegmentChecks.floats(x, d.inputSize(), "conv2d_siblings_bwd_filter x");
        try {
            NativeException.check((int) BWD_FILTER.invokeExact(d.nativeDesc(), k1, SegmentChecks.flag(relu), x, dy1, dy2,
                    dw1, dw2, SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_siblings_bwd_filter");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_siblings_bwd_filter", t);
        }
    }

    /**
     * The algorithm the pair runs as one call for {@code pass} in the loaded ISA build ({@link ConvAlgo},
     * {@link ConvBwdDataAlgo} or {@link ConvBwdFilterAlgo} by pass, the data gradient without a fused ReLU),
     * or null when it runs as two calls.
     */
    public static Enum<?> merged(Conv2dDesc d, int k1, Pass pass) {
        checkSplit(d, k1);
        int code;
        try {
            code = (int) MERGED.invokeExact(d.nativeDesc(), k1, pass.ordinal());
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_siblings_merged", t);
        }
        NativeException.check(Math.min(code, 0), "archway_cpu_conv2d_siblings_merged");
        if (code == 0) {
            return null;
        }
        return switch (pass) {
            case FORWARD -> ConvAlgo.ofCode(code);
            case DATA_GRADIENT -> ConvBwdDataAlgo.ofCode(code);
            case WEIGHT_GRADIENT -> ConvBwdFilterAlgo.ofCode(code);
        };
    }

    private static void checkSplit(Conv2dDesc d, int k1) {
        if (d.groups != 1) {
            throw new IllegalArgumentException("conv2d siblings: ungrouped convolutions only (groups 1), got groups " + d.groups);
        }
        if (k1 < 1 || k1 >= d.k) {
            throw new IllegalArgumentException("conv2d siblings: split " + k1 + " of " + d.k + " output channels must "
                    + "leave both convolutions at least one channel");
        }
    }

    /**
     * The split, then the two output-shaped tensors (outputs or their gradients: [n, k1 | k2, oh, ow]) and the
     * two filter-shaped ones (filters or their gradients: [k1 | k2, c, kh, kw]).
     */
    private static void checkPairs(Conv2dDesc d, int k1, String kernel, MemorySegment out1, MemorySegment out2,
                                   MemorySegment filters1, MemorySegment filters2) {
        checkSplit(d, k1);
        long perK = (long) d.c * d.kh * d.kw, plane = (long) d.oh * d.ow;
        SegmentChecks.floats(out1, (long) d.n * k1 * plane, kernel + " first output");
        SegmentChecks.floats(out2, (long) d.n * (d.k - k1) * plane, kernel + " second output");
        SegmentChecks.floats(filters1, perK * k1, kernel + " first filters");
        SegmentChecks.floats(filters2, perK * (d.k - k1), kernel + " second filters");
    }
}
