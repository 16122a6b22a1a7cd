package archway.bindings.cpu;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Flat-buffer reductions in the deterministic two-pass order that the CUDA kernels use
 * (include/archway/math/reduce.h: fixed tiles of 256 lanes, a fixed tree, then one pass over the tile
 * partials), so a CPU result equals the GPU's bit for bit, and itself for any thread count. Used by SAM /
 * A2M / FlatNAS norms and by global gradient-norm clipping.
 */
public final class TwoPassReductions {
    private static final MethodHandle SUMSQ = CpuLibrary.DOWNCALLS.status("archway_cpu_sumsq_two_pass", PTR, I64, PTR);
    private static final MethodHandle DOT = CpuLibrary.DOWNCALLS.status("archway_cpu_dot_two_pass", PTR, PTR, I64, PTR);
    private static final MethodHandle CLIP = CpuLibrary.DOWNCALLS.status("archway_cpu_clip_grad_norm", PTR, I64, F32, PTR);

    private static final ThreadLocal<MemorySegment> RESULT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE));

    private TwoPassReductions() {
    }

    /** Sum of x[i]^2 in double. */
    public static double sumsq(MemorySegment x, long n) {
        SegmentChecks.floats(x, n, "sumsq_two_pass x");
        return call("archway_cpu_sumsq_two_pass", out -> (int) SUMSQ.invokeExact(x, n, out));
    }

    /** The L2 norm sqrt(sumsq). */
    public static double norm(MemorySegment x, long n) {
        return Math.sqrt(sumsq(x, n));
    }

    /** Sum of a[i] b[i] in double. */
    public static double dot(MemorySegment a, MemorySegment b, long n) {
        SegmentChecks.floats(a, n, "dot_two_pass a");
        SegmentChecks.floats(b, n, "dot_two_pass b");
        return call("archway_cpu_dot_two_pass", out -> (int) DOT.invokeExact(a, b, n, out));
    }

    /**
     * Global gradient-norm clipping (torch.nn.utils.clip_grad_norm_): scales g by maxNorm / (norm + 1e-6)
     * when that is below 1; returns the norm before clipping.
     */
    public static double clipGradNorm(MemorySegment g, long n, float maxNorm) {
        SegmentChecks.floats(g, n, "clip_grad_norm g");
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip_grad_norm: max norm must be > 0, got " + maxNorm);
        }
        return call("archway_cpu_clip_grad_norm", out -> (int) CLIP.invokeExact(g, n, maxNorm, out));
    }

    @FunctionalInterface
    private interface Call {
        int invoke(MemorySegment out) throws Throwable;
    }

    /** Runs a native reduction that writes one double and returns it. */
    private static double call(String name, Call call) {
        MemorySegment out = RESULT.get();
        try {
            NativeException.check(call.invoke(out), name);
        } catch (Throwable t) {
            throw NativeException.wrap(name, t);
        }
        return out.get(ValueLayout.JAVA_DOUBLE, 0);
    }
}
