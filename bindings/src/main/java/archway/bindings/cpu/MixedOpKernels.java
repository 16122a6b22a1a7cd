package archway.bindings.cpu;

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
 * The DARTS mixed edge {@code y = sum_k w[k] xs[k]} over K candidate outputs of n floats each, fused
 * into one pass, and its backward {@code dxs[k] (+)= w[k] dy}, {@code dw[k] = <dy, xs[k]>} in one pass
 * over dy (dw in double with a fixed reduction order, so it is bit-reproducible).
 *
 * <p>A NULL candidate (op "none") or a weight of exactly 0 (sparsemax) is skipped: forward reads
 * nothing of it and backward writes no dxs for it. dw is still computed for every non-NULL candidate
 * (that is the architecture gradient); a NULL candidate gets dw = 0 (or is left alone when adding).
 * dxs entries of skipped candidates are not written, so the executor must not read them.
 *
 * <p>Candidate pointers travel as native arrays made by {@link #pointerArray}, which checks every
 * candidate's size once and records the checked length behind the K pointers; the kernels refuse
 * arrays that were not made for (at least) their n.
 */
public final class MixedOpKernels {
    private static final MethodHandle FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_mixed_fwd", PTR, PTR, I32, I64, PTR, I32);
    private static final MethodHandle BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_mixed_bwd",
            PTR, PTR, I32, I64, PTR, PTR, PTR, I32, I32);

    private MixedOpKernels() {
    }

    /**
     * A native array of K = xs.length pointers for the kernels below; NULL (or Java null) entries mean
     * op "none". Each non-NULL xs must hold at least n floats. The array lives in {@code arena}; it
     * holds K pointers followed by one int64 recording n.
     */
    public static MemorySegment pointerArray(Arena arena, long n, MemorySegment... xs) {
        if (n < 0) {
            throw new IllegalArgumentException("mixed op: negative length " + n);
        }
        if (xs == null || xs.length < 1) {
            throw new IllegalArgumentException("mixed op: at least one candidate needed");
        }
        for (int i = 0; i < xs.length; i++) {
            SegmentChecks.optionalFloats(xs[i], n, "mixed op candidate " + i);
        }
        MemorySegment ptrs = arena.allocate(ValueLayout.JAVA_LONG, xs.length + 1L);
        for (int i = 0; i < xs.length; i++) {
            ptrs.setAtIndex(ValueLayout.ADDRESS, i, NullSegments.orNull(xs[i]));
        }
        ptrs.setAtIndex(ValueLayout.JAVA_LONG, xs.length, n);
        return ptrs;
    }

    /** y (+)= sum over non-skipped k of w[k] xs[k]; with accumulate false and nothing active, y = 0. */
    public static void mixedFwd(MemorySegment xsPtrs, MemorySegment w, int k, long n, MemorySegment y, boolean accumulate) {
        checkPointers(xsPtrs, k, n, "mixed_fwd xs");
        SegmentChecks.floats(w, k, "mixed_fwd w");
        SegmentChecks.floats(y, n, "mixed_fwd y");
        try {
            NativeException.check((int) FWD.invokeExact(xsPtrs, w, k, n, y, SegmentChecks.flag(accumulate)),
                    "archway_cpu_mixed_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_mixed_fwd", t);
        }
    }

    /**
     * One pass over dy: dxs[k] (+)= w[k] dy for non-NULL dxs entries with w[k] != 0, and
     * dw[k] (+)= &lt;dy, xs[k]&gt;. dxsPtrs (from {@link #pointerArray}) and dw may be NULL when not needed.
     */
    public static void mixedBwd(MemorySegment xsPtrs, MemorySegment w, int k, long n, MemorySegment dy,
                                MemorySegment dxsPtrs, MemorySegment dw, boolean accumulateDx, boolean accumulateDw) {
        checkPointers(xsPtrs, k, n, "mixed_bwd xs");
        if (!NullSegments.isNull(dxsPtrs)) {
            checkPointers(dxsPtrs, k, n, "mixed_bwd dxs");
        }
        SegmentChecks.floats(w, k, "mixed_bwd w");
        SegmentChecks.floats(dy, n, "mixed_bwd dy");
        SegmentChecks.optionalFloats(dw, k, "mixed_bwd dw");
        try {
            NativeException.check((int) BWD.invokeExact(xsPtrs, w, k, n, dy, NullSegments.orNull(dxsPtrs),
                    NullSegments.orNull(dw), SegmentChecks.flag(accumulateDx), SegmentChecks.flag(accumulateDw)),
                    "archway_cpu_mixed_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_mixed_bwd", t);
        }
    }

    private static void checkPointers(MemorySegment ptrs, int k, long n, String what) {
        if (k < 1) {
            throw new IllegalArgumentException(what + ": k must be >= 1, got " + k);
        }
        if (n < 0) {
            throw new IllegalArgumentException(what + ": negative length " + n);
        }
        if (NullSegments.isNull(ptrs) || ptrs.byteSize() != (k + 1L) * Long.BYTES) {
            throw new IllegalArgumentException(what + ": not a pointer array of " + k
                    + " candidates made by MixedOpKernels.pointerArray");
        }
        long checked = ptrs.getAtIndex(ValueLayout.JAVA_LONG, k);
        if (checked < n) {
            throw new IllegalArgumentException(what + ": candidates were checked for " + checked + " floats, "
                    + n + " needed");
        }
    }
}
