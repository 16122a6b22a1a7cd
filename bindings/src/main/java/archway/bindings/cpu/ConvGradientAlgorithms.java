package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The two convolution gradients with a named algorithm ({@link ConvBwdDataAlgo}, {@link ConvBwdFilterAlgo}),
 * for benchmarks and for testing every implementation; plans use the automatic choice through
 * {@link ConvKernels}. Buffers are checked against the descriptor as there.
 */
public final class ConvGradientAlgorithms {
    private static final MethodHandle DATA =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_bwd_data_algo", PTR, I32, PTR, PTR, PTR, I32);
    private static final MethodHandle DATA_CHOICE = CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_bwd_data_choice", PTR);
    private static final MethodHandle FILTER =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_bwd_filter_algo", PTR, I32, PTR, PTR, PTR, I32);
    private static final MethodHandle FILTER_CHOICE =
            CpuLibrary.DOWNCALLS.status("archway_cpu_conv2d_bwd_filter_choice", PTR);

    private ConvGradientAlgorithms() {
    }

    /** dx (+)= data gradient of dy with {@code algo}; false (dx untouched) when it does not apply to d here. */
    public static boolean data(Conv2dDesc d, ConvBwdDataAlgo algo, MemorySegment dy, MemorySegment weight,
                               MemorySegment dx, boolean accumulate) {
        SegmentChecks.floats(dy, d.outputSize(), "conv2d_bwd_data dy");
        SegmentChecks.floats(weight, d.weightSize(), "conv2d_bwd_data weight");
        SegmentChecks.floats(dx, d.inputSize(), "conv2d_bwd_data dx");
        try {
            return (int) DATA.invokeExact(d.nativeDesc(), algo.code(), dy, weight, dx, SegmentChecks.flag(accumulate)) == 0;
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_bwd_data_algo", t);
        }
    }

    /** dweight (+)= weight gradient with {@code algo}; false (dweight untouched) when it does not apply here. */
    public static boolean filter(Conv2dDesc d, ConvBwdFilterAlgo algo, MemorySegment x, MemorySegment dy,
                                 MemorySegment dweight, boolean accumulate) {
        SegmentChecks.floats(x, d.inputSize(), "conv2d_bwd_filter x");
        SegmentChecks.floats(dy, d.outputSize(), "conv2d_bwd_filter dy");
        SegmentChecks.floats(dweight, d.weightSize(), "conv2d_bwd_filter dweight");
        try {
            return (int) FILTER.invokeExact(d.nativeDesc(), algo.code(), x, dy, dweight,
                    SegmentChecks.flag(accumulate)) == 0;
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_conv2d_bwd_filter_algo", t);
        }
    }

    /** The data-gradient algorithm the automatic path takes for d in the loaded ISA variant. */
    public static ConvBwdDataAlgo dataChoice(Conv2dDesc d) {
        return ConvBwdDataAlgo.ofCode(choice(DATA_CHOICE, d, "archway_cpu_conv2d_bwd_data_choice"));
    }

    /** The weight-gradient algorithm the automatic path takes for d in the loaded ISA variant. */
    public static ConvBwdFilterAlgo filterChoice(Conv2dDesc d) {
        return ConvBwdFilterAlgo.ofCode(choice(FILTER_CHOICE, d, "archway_cpu_conv2d_bwd_filter_choice"));
    }

    private static int choice(MethodHandle h, Conv2dDesc d, String name) {
        try {
            int code = (int) h.invokeExact(d.nativeDesc());
            NativeException.check(Math.min(code, 0), name);
            return code;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeException.wrap(name, t);
        }
    }
}
