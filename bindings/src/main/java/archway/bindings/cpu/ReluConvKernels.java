package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * conv2d(relu(x), w) with the ReLU fused into the convolution's input: the kernels apply it while they
 * copy x into their zero-padded scratch, so relu(x) is never stored and never recomputed, and the
 * ReLU's backward is applied where the data gradient is stored. Results are bit-identical to
 * {@link ActivationKernels} ReLU followed by {@link ConvKernels} (and the reverse for the gradients).
 * Shapes and checks as in {@link ConvKernels}.
 */
public final class ReluConvKernels {
    private static final MethodHandle FWD =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_relu_in_fwd", PTR, PTR, PTR, PTR);
    private static final MethodHandle BWD_DATA =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_relu_in_bwd_data", PTR, PTR, PTR, PTR, PTR, I32);
    private static final MethodHandle BWD_FILTER =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_relu_in_bwd_filter", PTR, PTR, PTR, PTR, I32);

    private ReluConvKernels() {
    }

    /** y = conv(relu(x), weight); y is overwritten. */
    public static void forward(Conv2dDesc d, MemorySegment x, MemorySegment weight, MemorySegment y) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_relu_in_fwd x");
        SegmentChecks.floats(weight, d.weightSize(), "conv2d_relu_in_fwd weight");
        SegmentChecks.floats(y, d.outputSize(), "conv2d_relu_in_fwd y");
        try {
            NativeException.check((int) FWD.invokeExact(d.nativeDesc(), x, weight, y), "archway_cpu_conv2d_relu_in_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_relu_in_fwd", t);
        }
    }

    /** dx (+)= relu'(x) * (data gradient of dy through weight): the gradient reaching the ReLU's input. */
    public static void backwardData(Conv2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment weight,
                                    MemorySegment dx, boolean accumulate) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_relu_in_bwd_data x");
        SegmentChecks.floats(dy, d.outputSize(), "conv2d_relu_in_bwd_data dy");
        SegmentChecks.floats(weight, d.weightSize(), "conv2d_relu_in_bwd_data weight");
        SegmentChecks.floats(dx, d.inputSize(), "conv2d_relu_in_bwd_data dx");
        try {
            NativeException.check((int) BWD_DATA.invokeExact(d.nativeDesc(), x, dy, weight, dx,
                    SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_relu_in_bwd_data");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_relu_in_bwd_data", t);
        }
    }

    /** dweight (+)= the weight gradient of relu(x) and dy, summed over the batch. */
    public static void backwardFilter(Conv2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment dweight,
                                      boolean accumulate) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_relu_in_bwd_filter x");
        SegmentChecks.floats(dy, d.outputSize(), "conv2d_relu_in_bwd_filter dy");
        SegmentChecks.floats(dweight, d.weightSize(), "conv2d_relu_in_bwd_filter dweight");
        try {
            NativeException.check((int) BWD_FILTER.invokeExact(d.nativeDesc(), x, dy, dweight,
                    SegmentChecks.flag(accumulate)), "archway_cpu_conv2d_relu_in_bwd_filter");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_relu_in_bwd_filter", t);
        }
    }
}
