package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Batch normalisation over x[n, c, hw], per channel. Training normalises with the biased batch
 * variance and updates the running statistics PyTorch-style with the unbiased one:
 * {@code running = (1 - momentum) running + momentum batch}. gamma and beta are optional (non-affine
 * when NULL); so are the saved statistics (forward-only use) and the running buffers (no tracking;
 * both or neither). Vectors have c floats.
 */
public final class BatchNormKernels {
    private static final MethodHandle FWD_TRAIN = CpuLibrary.DOWNCALLS.status("archway_cpu_bn_fwd_train",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR);
    private static final MethodHandle FWD_SAVED = CpuLibrary.DOWNCALLS.status("archway_cpu_bn_fwd_saved",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR);
    private static final MethodHandle FWD_EVAL = CpuLibrary.DOWNCALLS.status("archway_cpu_bn_fwd_eval",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR);
    private static final MethodHandle BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_bn_bwd",
            PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR, I32, I32);
    private static final MethodHandle ADD = CpuLibrary.DOWNCALLS.status("archway_cpu_bn_add", PTR, I32, PTR, PTR);
    /** Pointers per archway_bn_add_input: x, mean, invstd, gamma, beta. */
    private static final int TERM_POINTERS = 5;

    private BatchNormKernels() {
    }

    /**
     * Training forward; saveMean/saveInvstd receive the batch mean and 1/sqrt(var + eps) for {@link #bnBwd}.
     * y may be NULL: statistics only, for a consumer that applies them itself ({@link #bnAdd}).
     */
    public static void bnFwdTrain(BatchNormDesc d, MemorySegment x, MemorySegment gamma, MemorySegment beta,
                                  MemorySegment y, MemorySegment saveMean, MemorySegment saveInvstd,
                                  MemorySegment runningMean, MemorySegment runningVar) {
        Objects.requireNonNull(d, "batch norm desc");
        if ((long) d.n * d.hw < 2) {
            throw new IllegalArgumentException("batch norm training needs more than one value per channel, got n*hw="
                    + (long) d.n * d.hw);
        }
        if (NullSegments.isNull(runningMean) != NullSegments.isNull(runningVar)) {
            throw new IllegalArgumentException("batch norm: runningMean and runningVar must both be given or both be NULL");
        }
        SegmentChecks.floats(x, d.size(), "bn_fwd_train x");
        SegmentChecks.optionalFloats(y, d.size(), "bn_fwd_train y");
        SegmentChecks.optionalFloats(gamma, d.c, "bn_fwd_train gamma");
        SegmentChecks.optionalFloats(beta, d.c, "bn_fwd_train beta");
        SegmentChecks.optionalFloats(saveMean, d.c, "bn_fwd_train saveMean");
        SegmentChecks.optionalFloats(saveInvstd, d.c, "bn_fwd_train saveInvstd");
        SegmentChecks.optionalFloats(runningMean, d.c, "bn_fwd_train runningMean");
        SegmentChecks.optionalFloats(runningVar, d.c, "bn_fwd_train runningVar");
        try {
            NativeException.check((int) FWD_TRAIN.invokeExact(d.nativeDesc(), x, NullSegments.orNull(gamma),
                    NullSegments.orNull(beta), NullSegments.orNull(y), NullSegments.orNull(saveMean),
                    NullSegments.orNull(saveInvstd),
                    NullSegments.orNull(runningMean), NullSegments.orNull(runningVar)), "archway_cpu_bn_fwd_train");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_bn_fwd_train", t);
        }
    }

    /**
     * The training forward's y again from the saveMean / saveInvstd that {@link #bnFwdTrain} wrote, without
     * the statistics pass: bit-identical to that call's y for the same x, gamma and beta.
     */
    public static void bnFwdSaved(BatchNormDesc d, MemorySegment x, MemorySegment gamma, MemorySegment beta,
                                  MemorySegment saveMean, MemorySegment saveInvstd, MemorySegment y) {
        Objects.requireNonNull(d, "batch norm desc");
        SegmentChecks.floats(x, d.size(), "bn_fwd_saved x");
        SegmentChecks.floats(y, d.size(), "bn_fwd_saved y");
        SegmentChecks.optionalFloats(gamma, d.c, "bn_fwd_saved gamma");
        SegmentChecks.optionalFloats(beta, d.c, "bn_fwd_saved beta");
        SegmentChecks.floats(saveMean, d.c, "bn_fwd_saved saveMean");
        SegmentChecks.floats(saveInvstd, d.c, "bn_fwd_saved saveInvstd");
        try {
            NativeException.check((int) FWD_SAVED.invokeExact(d.nativeDesc(), x, NullSegments.orNull(gamma),
                    NullSegments.orNull(beta), saveMean, saveInvstd, y), "archway_cpu_bn_fwd_saved");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_bn_fwd_saved", t);
        }
    }

    /** Inference forward with the running statistics. */
    public static void bnFwdEval(BatchNormDesc d, MemorySegment x, MemorySegment gamma, MemorySegment beta,
                                 MemorySegment runningMean, MemorySegment runningVar, MemorySegment y) {
        Objects.requireNonNull(d, "batch norm desc");
        SegmentChecks.floats(x, d.size(), "bn_fwd_eval x");
        SegmentChecks.floats(y, d.size(), "bn_fwd_eval y");
        SegmentChecks.optionalFloats(gamma, d.c, "bn_fwd_eval gamma");
        SegmentChecks.optionalFloats(beta, d.c, "bn_fwd_eval beta");
        SegmentChecks.floats(runningMean, d.c, "bn_fwd_eval runningMean");
        SegmentChecks.floats(runningVar, d.c, "bn_fwd_eval runningVar");
        try {
            NativeException.check((int) FWD_EVAL.invokeExact(d.nativeDesc(), x, NullSegments.orNull(gamma),
                    NullSegments.orNull(beta), runningMean, runningVar, y), "archway_cpu_bn_fwd_eval");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_bn_fwd_eval", t);
        }
    }

    /**
     * Backward of the training forward. dx, dgamma and dbeta are optional (NULL when not needed);
     * gamma NULL means non-affine. accumulateDx / accumulateDparams add into dx / (dgamma, dbeta).
     */
    public static void bnBwd(BatchNormDesc d, MemorySegment x, MemorySegment dy, MemorySegment gamma,
                             MemorySegment saveMean, MemorySegment saveInvstd, MemorySegment dx, MemorySegment dgamma,
                             MemorySegment dbeta, boolean accumulateDx, boolean accumulateDparams) {
        Objects.requireNonNull(d, "batch norm desc");
        SegmentChecks.floats(x, d.size(), "bn_bwd x");
        SegmentChecks.floats(dy, d.size(), "bn_bwd dy");
        SegmentChecks.optionalFloats(gamma, d.c, "bn_bwd gamma");
        SegmentChecks.floats(saveMean, d.c, "bn_bwd saveMean");
        SegmentChecks.floats(saveInvstd, d.c, "bn_bwd saveInvstd");
        SegmentChecks.optionalFloats(dx, d.size(), "bn_bwd dx");
        SegmentChecks.optionalFloats(dgamma, d.c, "bn_bwd dgamma");
        SegmentChecks.optionalFloats(dbeta, d.c, "bn_bwd dbeta");
        try {
            NativeException.check((int) BWD.invokeExact(d.nativeDesc(), x, dy, NullSegments.orNull(gamma), saveMean,
                    saveInvstd, NullSegments.orNull(dx), NullSegments.orNull(dgamma), NullSegments.orNull(dbeta),
                    SegmentChecks.flag(accumulateDx), SegmentChecks.flag(accumulateDparams)), "archway_cpu_bn_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_bn_bwd", t);
        }
    }

    /**
     * One term of {@link #bnAdd}: x normalised with a training forward's saved mean and invstd (gamma and
     * beta optional), or, with mean and invstd NULL, x as it is.
     */
    public record AddTerm(MemorySegment x, MemorySegment mean, MemorySegment invstd, MemorySegment gamma,
                          MemorySegment beta) {
    }

    /**
     * The native term array {@link #bnAdd} reads (archway_bn_add_input[]), every segment checked against
     * {@code d} once here; it lives in {@code arena}. Behind the terms it records the n*c*hw and c it was
     * checked for, so that {@link #bnAdd} refuses it for a larger desc.
     */
    public static MemorySegment addTerms(Arena arena, BatchNormDesc d, AddTerm... terms) {
        Objects.requireNonNull(d, "batch norm desc");
        if (terms == null || terms.length < 1) {
            throw new IllegalArgumentException("bn_add: at least one term needed");
        }
        long pointers = (long) terms.length * TERM_POINTERS;
        MemorySegment array = arena.allocate(ValueLayout.JAVA_LONG, pointers + 2);
        for (int i = 0; i < terms.length; i++) {
            AddTerm t = terms[i];
            String what = "bn_add term " + i;
            SegmentChecks.floats(t.x(), d.size(), what + " x");
            if (NullSegments.isNull(t.mean()) != NullSegments.isNull(t.invstd())) {
                throw new IllegalArgumentException(what + ": mean and invstd must both be given or both be NULL");
            }
            SegmentChecks.optionalFloats(t.mean(), d.c, what + " mean");
            SegmentChecks.optionalFloats(t.invstd(), d.c, what + " invstd");
            SegmentChecks.optionalFloats(t.gamma(), d.c, what + " gamma");
            SegmentChecks.optionalFloats(t.beta(), d.c, what + " beta");
            MemorySegment[] ptrs = {t.x(), t.mean(), t.invstd(), t.gamma(), t.beta()};
            for (int j = 0; j < TERM_POINTERS; j++) {
                array.setAtIndex(ValueLayout.ADDRESS, (long) i * TERM_POINTERS + j, NullSegments.orNull(ptrs[j]));
            }
        }
        array.setAtIndex(ValueLayout.JAVA_LONG, pointers, d.size());
        array.setAtIndex(ValueLayout.JAVA_LONG, pointers + 1, d.c);
        return array;
    }

    /**
     * y = term 0 + term 1 + ... left to right (terms from {@link #addTerms} for the same desc): bit-identical
     * to {@link #bnFwdSaved} into separate buffers followed by the elementwise adds, without writing them.
     */
    public static void bnAdd(BatchNormDesc d, MemorySegment terms, int count, MemorySegment y) {
        Objects.requireNonNull(d, "batch norm desc");
        long pointers = (long) count * TERM_POINTERS;
        if (count < 1 || terms.byteSize() != (pointers + 2) * Long.BYTES) {
            throw new IllegalArgumentException("bn_add: " + count + " terms but a term array of " + terms.byteSize()
                    + " bytes (make it with addTerms)");
        }
        if (terms.getAtIndex(ValueLayout.JAVA_LONG, pointers) != d.size()
                || terms.getAtIndex(ValueLayout.JAVA_LONG, pointers + 1) != d.c) {
            throw new IllegalArgumentException("bn_add: the term array was checked for another shape than " + d.n + "x"
                    + d.c + "x" + d.hw);
        }
        SegmentChecks.floats(y, d.size(), "bn_add y");
        try {
            NativeException.check((int) ADD.invokeExact(d.nativeDesc(), count, terms, y), "archway_cpu_bn_add");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_bn_add", t);
        }
    }
}
