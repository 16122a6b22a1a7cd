package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * 2-D convolution on the CPU (float32, NCHW): forward, data gradient and weight gradient.
 *
 * <p>Shapes come from a {@link Conv2dDesc}: x[n, c, h, w], weight[k, c/groups, kh, kw], y[n, k, oh, ow];
 * stride, padding, dilation and groups (including depthwise, groups == c) are supported, no bias.
 * Every buffer is checked against the descriptor's sizes before the native call, so a wrong shape is an
 * {@link IllegalArgumentException} and never an out-of-bounds access. Results are bit-identical for the
 * same inputs and the same {@link CpuLibrary#setThreads thread count}.
 */
public final class ConvKernels {
    private static final MethodHandle FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_fwd", PTR, PTR, PTR, PTR);
    private static final MethodHandle FWD_ALGO =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_fwd_algo", PTR, I32, PTR, PTR, PTR);
    private static final MethodHandle FWD_CHOICE =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_fwd_choice", PTR);
    private static final MethodHandle BWD_DATA =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_bwd_data", PTR, PTR, PTR, PTR, I32);
    private static final MethodHandle BWD_FILTER =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_bwd_filter", PTR, PTR, PTR, PTR, I32);

    private ConvKernels() {
    }

    /** y = conv(x, weight); y is overwritten. */
    public static void conv2dFwd(Conv2dDesc d, MemorySegment x, MemorySegment weight, MemorySegment y) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_fwd x");
        SegmentChecks.floats(weight, d.weightSize(), "conv2d_fwd weight");
        SegmentChecks.floats(y, d.outputSize(), "conv2d_fwd y");
        try {
            NativeException.check((int) FWD.invokeExact(d.nativeDesc(), x, weight, y), "archway_cpu_conv2d_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_fwd", t);
        }
    }

    /**
     * y = conv(x, weight) with one named algorithm; false (y untouched) when {@code algo} does not apply to
     * this shape in the loaded ISA variant (e.g. {@link ConvAlgo#DIRECT} outside the avx512 build).
     */
    public static boolean conv2dFwd(Conv2dDesc d, ConvAlgo algo, MemorySegment x, MemorySegment weight,
                                    MemorySegment y) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_fwd x");
        SegmentChecks.floats(weight, d.weightSize(), "conv2d_fwd weight");
        SegmentChecks.floats(y, d.outputSize(), "conv2d_fwd y");
        try {
            return (int) FWD_ALGO.invokeExact(d.nativeDesc(), algo.code(), x, weight, y) == 0;
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_fwd_algo", t);
        }
    }

    /** The algorithm {@link #conv2dFwd(Conv2dDesc, MemorySegment, MemorySegment, MemorySegment)} uses for d. */
    public static ConvAlgo conv2dFwdChoice(Conv2dDesc d) {
        try {
            int code = (int) FWD_CHOICE.invokeExact(d.nativeDesc());
            NativeException.check(Math.min(code, 0), "archway_cpu_conv2d_fwd_choice");
            return ConvAlgo.ofCode(code);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_fwd_choice", t);
        }
    }

    /** dx = dL/dx given dy = dL/dy; {@code accumulate} adds into dx instead of overwriting it. */
    public static void conv2dBwdData(Conv2dDesc d, MemorySegment dy, MemorySegment weight, MemorySegment dx,
                                     boolean accumulate) {
        SegmentChecks.floats(dy, d.outputSize(), "conv2d_bwd_data dy");
        SegmentChecks.floats(weight, d.weightSize(), "conv2d_bwd_data weight");
        SegmentChecks.floats(dx, d.inputSize(), "conv2d_bwd_data dx");
        try {
            NativeException.check((int) BWD_DATA.invokeExact(d.nativeDesc(), dy, weight, dx,
                    SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_bwd_data");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_bwd_data", t);
        }
    }

    /**
     * dweight = dL/dweight summed over the batch; {@code accumulate} adds into dweight instead of
     * overwriting it.
     */
    public static void conv2dBwdFilter(Conv2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment dweight,
                                       boolean accumulate) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_bwd_filter x");
        SegmentChecks.floats(dy, d.outputSize(), "conv2d_bwd_filter dy");
        SegmentChecks.floats(dweight, d.weightSize(), "conv2d_bwd_filter dweight");
        try {
            NativeException.check((int) BWD_FILTER.invokeExact(d.nativeDesc(), x, dy, dweight,
                    SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_bwd_filter");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_bwd_filter", t);
        }
    }
}
