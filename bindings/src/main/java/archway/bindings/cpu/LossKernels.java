package archway.bindings.cpu;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Softmax cross-entropy over logits[n, k] with int32 labels[n]. Labels are data, so the native side
 * checks them: a label outside [0, k) fails with a {@link NativeException} before anything is written.
 */
public final class LossKernels {
    private static final MethodHandle FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_softmax_xent_fwd",
            PTR, PTR, PTR, I32, I32, PTR, PTR);
    private static final MethodHandle BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_softmax_xent_bwd",
            PTR, PTR, PTR, I32, I32, F32, I32);

    private LossKernels() {
    }

    /**
     * probs = softmax(logits) (kept for backward), loss[0] = mean cross-entropy (1 float),
     * correct[0] = number of rows whose first maximum equals the label (1 int32).
     */
    public static void softmaxXentFwd(MemorySegment logits, MemorySegment labels, MemorySegment probs, int n, int k,
                                      MemorySegment loss, MemorySegment correct) {
        SegmentChecks.atLeast(1, "softmax_xent n/k", n, k);
        SegmentChecks.floats(logits, (long) n * k, "softmax_xent_fwd logits");
        SegmentChecks.ints(labels, n, "softmax_xent_fwd labels");
        SegmentChecks.floats(probs, (long) n * k, "softmax_xent_fwd probs");
        SegmentChecks.floats(loss, 1, "softmax_xent_fwd loss");
        SegmentChecks.ints(correct, 1, "softmax_xent_fwd correct");
        try {
            NativeException.check((int) FWD.invokeExact(logits, labels, probs, n, k, loss, correct),
                    "archway_cpu_softmax_xent_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_softmax_xent_fwd", t);
        }
    }

    /** dlogits (+)= scale (probs - onehot(labels)) / n. */
    public static void softmaxXentBwd(MemorySegment probs, MemorySegment labels, MemorySegment dlogits, int n, int k,
                                      float scale, boolean accumulate) {
        SegmentChecks.atLeast(1, "softmax_xent n/k", n, k);
        SegmentChecks.floats(probs, (long) n * k, "softmax_xent_bwd probs");
        SegmentChecks.ints(labels, n, "softmax_xent_bwd labels");
        SegmentChecks.floats(dlogits, (long) n * k, "softmax_xent_bwd dlogits");
        try {
            NativeException.check((int) BWD.invokeExact(probs, labels, dlogits, n, k, scale, SegmentChecks.flag(accumulate)),
                    "archway_cpu_softmax_xent_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_softmax_xent_bwd", t);
        }
    }
}
