package archway.bindings.cpu;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** In-place optimiser steps over flat spans of n parameters, with PyTorch's update rules. */
public final class OptimizerKernels {
    private static final MethodHandle SGD = CpuLibrary.DOWNCALLS.status("archway_cpu_sgd_step",
            PTR, PTR, PTR, I64, F32, F32, F32, I32);
    private static final MethodHandle ADAM = CpuLibrary.DOWNCALLS.status("archway_cpu_adam_step",
            PTR, PTR, PTR, PTR, I64, F32, F32, F32, F32, F32, I32, I32);

    private OptimizerKernels() {
    }

    /**
     * SGD without dampening: g' = g + wd w; buf = momentum buf + g'; step = nesterov ? g' + momentum buf : buf;
     * w -= lr step. momentumBuf (n floats, zero before the first step) may be NULL when momentum is 0;
     * nesterov requires momentum &gt; 0.
     */
    public static void sgdStep(MemorySegment w, MemorySegment g, MemorySegment momentumBuf, long n, float lr,
                               float momentum, float weightDecay, boolean nesterov) {
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("sgd: momentum must be >= 0, got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd: nesterov needs momentum > 0");
        }
        SegmentChecks.floats(w, n, "sgd w");
        SegmentChecks.floats(g, n, "sgd g");
        if (momentum != 0) {
            SegmentChecks.floats(momentumBuf, n, "sgd momentumBuf");
        } else {
            SegmentChecks.optionalFloats(momentumBuf, n, "sgd momentumBuf");
        }
        try {
            NativeException.check((int) SGD.invokeExact(w, g, NullSegments.orNull(momentumBuf), n, lr, momentum,
                    weightDecay, SegmentChecks.flag(nesterov)), "archway_cpu_sgd_step");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_sgd_step", t);
        }
    }

    /**
     * One Adam step t (t &gt;= 1, for bias correction) with moments m and v (zero before step 1).
     * decoupled false: L2, wd w is added to the gradient (Adam); true: w *= 1 - lr wd first (AdamW).
     */
    public static void adamStep(MemorySegment w, MemorySegment g, MemorySegment m, MemorySegment v, long n, float lr,
                                float beta1, float beta2, float eps, float weightDecay, int t, boolean decoupled) {
        if (t < 1) {
            throw new IllegalArgumentException("adam: step t must be >= 1, got " + t);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("adam: betas must lie in [0, 1) and eps be >= 0");
        }
        SegmentChecks.floats(w, n, "adam w");
        SegmentChecks.floats(g, n, "adam g");
        SegmentChecks.floats(m, n, "adam m");
        SegmentChecks.floats(v, n, "adam v");
        try {
            NativeException.check((int) ADAM.invokeExact(w, g, m, v, n, lr, beta1, beta2, eps, weightDecay, t,
                    SegmentChecks.flag(decoupled)), "archway_cpu_adam_step");
        } catch (Throwable t2) {
            throw NativeException.wrap("archway_cpu_adam_step", t2);
        }
    }
}
