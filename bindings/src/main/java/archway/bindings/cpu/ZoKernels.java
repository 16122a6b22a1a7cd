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
 * The flat-buffer pieces of the zeroth-order estimators (specs/zo-darts.md), with the CUDA kernels'
 * math: Philox unit-sphere directions, the perturbed twins theta +- mu z, and the weight term
 * &lt;w~ - w, g&gt; of the one-sided estimate, reduced in the two-pass order of {@link TwoPassReductions}.
 */
public final class ZoKernels {
    private static final MethodHandle DIRECTION = CpuLibrary.DOWNCALLS.status("archway_cpu_zo_direction",
            PTR, I64, I64, I32, I32);
    private static final MethodHandle PERTURB = CpuLibrary.DOWNCALLS.status("archway_cpu_zo_perturb",
            PTR, PTR, F32, PTR, PTR, I64);
    private static final MethodHandle WEIGHT_TERM = CpuLibrary.DOWNCALLS.status("archway_cpu_zo_weight_term",
            PTR, PTR, PTR, I64, PTR);

    private static final ThreadLocal<MemorySegment> RESULT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE));

    private ZoKernels() {
    }

    /** z = e / ||e|| over d >= 1 floats, e the Philox normal stream (seed, purpose, step). */
    public static void direction(MemorySegment z, long d, long seed, int purpose, int step) {
        if (d < 1) {
            throw new IllegalArgumentException("zo_direction: dimension must be >= 1, got " + d);
        }
        SegmentChecks.floats(z, d, "zo_direction z");
        try {
            NativeException.check((int) DIRECTION.invokeExact(z, d, seed, purpose, step), "archway_cpu_zo_direction");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_zo_direction", t);
        }
    }

    /** plus = theta + mu z and, unless minus is NULL, minus = theta - mu z (either may alias theta). */
    public static void perturb(MemorySegment theta, MemorySegment z, float mu, MemorySegment plus, MemorySegment minus,
                               long n) {
        SegmentChecks.floats(theta, n, "zo_perturb theta");
        SegmentChecks.floats(z, n, "zo_perturb z");
        SegmentChecks.floats(plus, n, "zo_perturb plus");
        SegmentChecks.optionalFloats(minus, n, "zo_perturb minus");
        try {
            NativeException.check((int) PERTURB.invokeExact(theta, z, mu, plus, NullSegments.orNull(minus), n),
                    "archway_cpu_zo_perturb");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_zo_perturb", t);
        }
    }

    /** &lt;wTwin - w, g&gt; in double (each difference rounded to float first). */
    public static double weightTerm(MemorySegment wTwin, MemorySegment w, MemorySegment g, long n) {
        SegmentChecks.floats(wTwin, n, "zo_weight_term w_twin");
        SegmentChecks.floats(w, n, "zo_weight_term w");
        SegmentChecks.floats(g, n, "zo_weight_term g");
        MemorySegment out = RESULT.get();
        try {
            NativeException.check((int) WEIGHT_TERM.invokeExact(wTwin, w, g, n, out), "archway_cpu_zo_weight_term");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_zo_weight_term", t);
        }
        return out.get(ValueLayout.JAVA_DOUBLE, 0);
    }
}
