package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Elementwise activations over n floats. Backward reads the forward input x (not y), so the executor
 * keeps x alive; derivatives at the kinks follow PyTorch (relu'(0) = 0, hsigmoid'(+-3) = 0).
 */
public final class ActivationKernels {
    private static final MethodHandle FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_act_fwd", I32, PTR, PTR, I64);
    private static final MethodHandle BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_act_bwd", I32, PTR, PTR, PTR, I64, I32);

    private ActivationKernels() {
    }

    /** y = a(x) over n elements (y may alias x). */
    public static void actFwd(Activation a, MemorySegment x, MemorySegment y, long n) {
        Objects.requireNonNull(a, "activation");
        SegmentChecks.floats(x, n, "act_fwd x");
        SegmentChecks.floats(y, n, "act_fwd y");
        try {
            NativeException.check((int) FWD.invokeExact(a.code(), x, y, n), "archway_cpu_act_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_act_fwd", t);
        }
    }

    /** dx (+)= dy * a'(x) over n elements. */
    public static void actBwd(Activation a, MemorySegment x, MemorySegment dy, MemorySegment dx, long n, boolean accumulate) {
        Objects.requireNonNull(a, "activation");
        SegmentChecks.floats(x, n, "act_bwd x");
        SegmentChecks.floats(dy, n, "act_bwd dy");
        SegmentChecks.floats(dx, n, "act_bwd dx");
        try {
            NativeException.check((int) BWD.invokeExact(a.code(), x, dy, dx, n, SegmentChecks.flag(accumulate)),
                    "archway_cpu_act_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_act_bwd", t);
        }
    }
}
