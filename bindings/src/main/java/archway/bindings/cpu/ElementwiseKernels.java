package archway.bindings.cpu;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Flat arithmetic over spans of n floats (the planner keeps parameters, gradients and optimiser state
 * contiguous, so one call covers all of them), the double-precision reductions {@link #sumsq} and
 * {@link #dot}, and squeeze-excite channel scaling.
 *
 * <p>The reductions use a chunking that depends on n only and add partials in a fixed order: results
 * are bit-identical from call to call and for any thread count.
 */
public final class ElementwiseKernels {
    private static final MethodHandle FILL = CpuLibrary.DOWNCALLS.status("archway_cpu_fill", PTR, I64, F32);
    private static final MethodHandle COPY = CpuLibrary.DOWNCALLS.status("archway_cpu_copy", PTR, PTR, I64);
    private static final MethodHandle ADD = CpuLibrary.DOWNCALLS.status("archway_cpu_add", PTR, PTR, PTR, I64);
    private static final MethodHandle ADD3 = CpuLibrary.DOWNCALLS.status("archway_cpu_add3", PTR, PTR, PTR, PTR, I64);
    private static final MethodHandle AXPY = CpuLibrary.DOWNCALLS.status("archway_cpu_axpy", F32, PTR, PTR, I64);
    private static final MethodHandle AXPBY = CpuLibrary.DOWNCALLS.status("archway_cpu_axpby", F32, PTR, F32, PTR, I64);
    private static final MethodHandle SCALE = CpuLibrary.DOWNCALLS.status("archway_cpu_scale", PTR, I64, F32);
    private static final MethodHandle WEIGHT_NOISE = CpuLibrary.DOWNCALLS.status("archway_cpu_weight_noise_eps", PTR, PTR, PTR, I64, F32);
    private static final MethodHandle ASAM_DIRECTION = CpuLibrary.DOWNCALLS.status("archway_cpu_asam_direction", PTR, PTR, PTR, I64, F32);
    private static final MethodHandle SUMSQ = CpuLibrary.DOWNCALLS.status("archway_cpu_sumsq", PTR, I64, PTR);
    private static final MethodHandle DOT = CpuLibrary.DOWNCALLS.status("archway_cpu_dot", PTR, PTR, I64, PTR);
    private static final MethodHandle CS_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_channel_scale_fwd",
            PTR, PTR, PTR, I32, I32, I32);
    private static final MethodHandle CS_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_channel_scale_bwd",
            PTR, PTR, PTR, PTR, PTR, I32, I32, I32, I32);

    /** One double out-parameter per thread, so the reductions allocate nothing per call. */
    private static final ThreadLocal<MemorySegment> RESULT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE));

    private ElementwiseKernels() {
    }

    /** y[0, n) = v. */
    public static void fill(MemorySegment y, long n, float v) {
        SegmentChecks.floats(y, n, "fill y");
        try {
            NativeException.check((int) FILL.invokeExact(y, n, v), "archway_cpu_fill");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_fill", t);
        }
    }

    /** y = x over n elements. */
    public static void copy(MemorySegment x, MemorySegment y, long n) {
        SegmentChecks.floats(x, n, "copy x");
        SegmentChecks.floats(y, n, "copy y");
        try {
            NativeException.check((int) COPY.invokeExact(x, y, n), "archway_cpu_copy");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_copy", t);
        }
    }

    /** y = a + b (y may alias a or b). */
    public static void add(MemorySegment a, MemorySegment b, MemorySegment y, long n) {
        SegmentChecks.floats(a, n, "add a");
        SegmentChecks.floats(b, n, "add b");
        SegmentChecks.floats(y, n, "add y");
        try {
            NativeException.check((int) ADD.invokeExact(a, b, y, n), "archway_cpu_add");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_add", t);
        }
    }

    /** y = (a + b) + c in one pass (the same bits as {@link #add} then {@link #axpy} with alpha 1). */
    public static void add3(MemorySegment a, MemorySegment b, MemorySegment c, MemorySegment y, long n) {
        SegmentChecks.floats(a, n, "add3 a");
        SegmentChecks.floats(b, n, "add3 b");
        SegmentChecks.floats(c, n, "add3 c");
        SegmentChecks.floats(y, n, "add3 y");
        try {
            NativeException.check((int) ADD3.invokeExact(a, b, c, y, n), "archway_cpu_add3");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_add3", t);
        }
    }

    /** y += alpha x. */
    public static void axpy(float alpha, MemorySegment x, MemorySegment y, long n) {
        SegmentChecks.floats(x, n, "axpy x");
        SegmentChecks.floats(y, n, "axpy y");
        try {
            NativeException.check((int) AXPY.invokeExact(alpha, x, y, n), "archway_cpu_axpy");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_axpy", t);
        }
    }

    /** y = alpha x + beta y. */
    public static void axpby(float alpha, MemorySegment x, float beta, MemorySegment y, long n) {
        SegmentChecks.floats(x, n, "axpby x");
        SegmentChecks.floats(y, n, "axpby y");
        try {
            NativeException.check((int) AXPBY.invokeExact(alpha, x, beta, y, n), "archway_cpu_axpby");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_axpby", t);
        }
    }

    /** y *= alpha. */
    public static void scale(MemorySegment y, long n, float alpha) {
        SegmentChecks.floats(y, n, "scale y");
        try {
            NativeException.check((int) SCALE.invokeExact(y, n, alpha), "archway_cpu_scale");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_scale", t);
        }
    }

    /** y = w + sigma w eps (multiplicative Gaussian weight noise); y may be w itself. */
    public static void weightNoise(MemorySegment w, MemorySegment eps, MemorySegment y, long n, float sigma) {
        SegmentChecks.floats(w, n, "weight_noise w");
        SegmentChecks.floats(eps, n, "weight_noise eps");
        SegmentChecks.floats(y, n, "weight_noise y");
        try {
            NativeException.check((int) WEIGHT_NOISE.invokeExact(w, eps, y, n, sigma), "archway_cpu_weight_noise_eps");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_weight_noise_eps", t);
        }
    }

    /** y = (|w| + eta)^2 g (adaptive SAM). */
    public static void asamDirection(MemorySegment w, MemorySegment g, MemorySegment y, long n, float eta) {
        SegmentChecks.floats(w, n, "asam_direction w");
        SegmentChecks.floats(g, n, "asam_direction g");
        SegmentChecks.floats(y, n, "asam_direction y");
        try {
            NativeException.check((int) ASAM_DIRECTION.invokeExact(w, g, y, n, eta), "archway_cpu_asam_direction");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_asam_direction", t);
        }
    }

    /** Sum of x[i]^2 in double, fixed reduction order. */
    public static double sumsq(MemorySegment x, long n) {
        SegmentChecks.floats(x, n, "sumsq x");
        MemorySegment out = RESULT.get();
        try {
            NativeException.check((int) SUMSQ.invokeExact(x, n, out), "archway_cpu_sumsq");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_sumsq", t);
        }
        return out.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    /** Sum of a[i] b[i] in double, fixed reduction order. */
    public static double dot(MemorySegment a, MemorySegment b, long n) {
        SegmentChecks.floats(a, n, "dot a");
        SegmentChecks.floats(b, n, "dot b");
        MemorySegment out = RESULT.get();
        try {
            NativeException.check((int) DOT.invokeExact(a, b, n, out), "archway_cpu_dot");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_dot", t);
        }
        return out.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    /** y[n, c, hw] = x[n, c, hw] * s[n, c] (broadcast over hw). */
    public static void channelScaleFwd(MemorySegment x, MemorySegment s, MemorySegment y, int n, int c, int hw) {
        SegmentChecks.atLeast(1, "channel_scale shape", n, c, hw);
        long size = (long) n * c * hw;
        SegmentChecks.floats(x, size, "channel_scale_fwd x");
        SegmentChecks.floats(s, (long) n * c, "channel_scale_fwd s");
        SegmentChecks.floats(y, size, "channel_scale_fwd y");
        try {
            NativeException.check((int) CS_FWD.invokeExact(x, s, y, n, c, hw), "archway_cpu_channel_scale_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_channel_scale_fwd", t);
        }
    }

    /**
     * dx (optional) (+)= dy * s; ds (optional) (+)= sum over hw of dy * x. x is only read when ds is
     * wanted and s only when dx is wanted; the other may be NULL.
     */
    public static void channelScaleBwd(MemorySegment x, MemorySegment s, MemorySegment dy, MemorySegment dx,
                                       MemorySegment ds, int n, int c, int hw, boolean accumulate) {
        SegmentChecks.atLeast(1, "channel_scale shape", n, c, hw);
        long size = (long) n * c * hw, planes = (long) n * c;
        boolean wantDx = !NullSegments.isNull(dx), wantDs = !NullSegments.isNull(ds);
        SegmentChecks.floats(dy, size, "channel_scale_bwd dy");
        if (wantDx) {
            SegmentChecks.floats(s, planes, "channel_scale_bwd s");
            SegmentChecks.floats(dx, size, "channel_scale_bwd dx");
        } else {
            SegmentChecks.optionalFloats(s, planes, "channel_scale_bwd s");
        }
        if (wantDs) {
            SegmentChecks.floats(x, size, "channel_scale_bwd x");
            SegmentChecks.floats(ds, planes, "channel_scale_bwd ds");
        } else {
            SegmentChecks.optionalFloats(x, size, "channel_scale_bwd x");
        }
        try {
            NativeException.check((int) CS_BWD.invokeExact(NullSegments.orNull(x), NullSegments.orNull(s), dy,
                    NullSegments.orNull(dx), NullSegments.orNull(ds), n, c, hw, SegmentChecks.flag(accumulate)),
                    "archway_cpu_channel_scale_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_channel_scale_bwd", t);
        }
    }
}
