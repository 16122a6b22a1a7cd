package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Fully connected layer on the CPU (float32): x[n, in], weight[out, in], bias[out], y[n, out] = x weight^T + bias.
 *
 * <p>Buffer sizes are checked before every native call ({@link IllegalArgumentException} on a mismatch).
 * Each output element is reduced in one fixed order, so results do not depend on the thread count.
 */
public final class LinearKernels {
    private static final MethodHandle FWD =
            CpuLibrary.DOWNCALLS.status("archway_cpu_linear_fwd", PTR, PTR, PTR, PTR, I32, I32, I32);
    private static final MethodHandle BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_linear_bwd",
            PTR, PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32, I32);

    private LinearKernels() {
    }

    /** y = x weight^T + bias, overwriting y; {@code bias} may be {@link MemorySegment#NULL}. */
    public static void linearFwd(MemorySegment x, MemorySegment weight, MemorySegment bias, MemorySegment y, int n,
                                 int in, int out) {
        SegmentChecks.atLeast(1, "linear_fwd n/in/out", n, in, out);
        SegmentChecks.floats(x, (long) n * in, "linear_fwd x");
        SegmentChecks.floats(weight, (long) out * in, "linear_fwd weight");
        SegmentChecks.optionalFloats(bias, out, "linear_fwd bias");
        SegmentChecks.floats(y, (long) n * out, "linear_fwd y");
        try {
            NativeException.check((int) FWD.invokeExact(x, weight, orNull(bias), y, n, in, out), "archway_cpu_linear_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_linear_fwd", t);
        }
    }

    /**
     * Gradients of {@link #linearFwd}: dx = dy weight, dweight = dy^T x, dbias = sum over the batch of dy.
     * Any of dx, dweight, dbias may be {@link MemorySegment#NULL} when not needed; weight is then only
     * required for dx and x only for dweight. {@code accumulateDx} adds into dx, {@code accumulateDparams}
     * into dweight and dbias.
     */
    public static void linearBwd(MemorySegment x, MemorySegment weight, MemorySegment dy, MemorySegment dx,
                                 MemorySegment dweight, MemorySegment dbias, int n, int in, int out,
                                 boolean accumulateDx, boolean accumulateDparams) {
        SegmentChecks.atLeast(1, "linear_bwd n/in/out", n, in, out);
        SegmentChecks.floats(dy, (long) n * out, "linear_bwd dy");
        if (present(dx)) {
            SegmentChecks.floats(weight, (long) out * in, "linear_bwd weight");
            SegmentChecks.floats(dx, (long) n * in, "linear_bwd dx");
        } else {
            SegmentChecks.optionalFloats(weight, (long) out * in, "linear_bwd weight");
        }
        if (present(dweight)) {
            SegmentChecks.floats(x, (long) n * in, "linear_bwd x");
            SegmentChecks.floats(dweight, (long) out * in, "linear_bwd dweight");
        } else {
            SegmentChecks.optionalFloats(x, (long) n * in, "linear_bwd x");
        }
        SegmentChecks.optionalFloats(dbias, out, "linear_bwd dbias");
        try {
            NativeException.check((int) BWD.invokeExact(orNull(x), orNull(weight), dy, orNull(dx), orNull(dweight),
                    orNull(dbias), n, in, out, SegmentChecks.flag(accumulateDx), SegmentChecks.flag(accumulateDparams)),
                    "archway_cpu_linear_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_linear_bwd", t);
        }
    }

    private static boolean present(MemorySegment s) {
        return s != null && !s.equals(MemorySegment.NULL);
    }

    private static MemorySegment orNull(MemorySegment s) {
        return s == null ? MemorySegment.NULL : s;
    }
}
