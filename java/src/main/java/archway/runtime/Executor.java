package archway.runtime;

import java.util.Arrays;

/**
 * Runs a bound step list: one flat array of {@link BoundStep}s, each optionally guarded by one element
 * of a weight buffer (the step is skipped when that weight is exactly zero: a sparsemax-pruned
 * candidate). No step wraps another, so the frame under {@link #run} is the kernel's own class.
 * Profiling, when on, times every step separately. A device backend may extend it
 * ({@link Backend#executor}) to replay a step range as a captured graph instead of walking it, and release the
 * graphs in {@link #close}.
 */
public class Executor {
    private final BoundStep[] steps;
    private final long[] guards;
    private final Buffer guardWeights;
    private final long[] nanos;

    /**
     * @param steps        the bound steps, in order
     * @param guards       per step, the index into {@code guardWeights} whose exact zero skips it, or -1
     * @param guardWeights the buffer guards read (may be null when no step is guarded)
     * @param profile      whether to time every step
     */
    public Executor(BoundStep[] steps, long[] guards, Buffer guardWeights, boolean profile) {
        if (guards.length != steps.length) {
            throw new IllegalArgumentException(steps.length + " steps but " + guards.length + " guards");
        }
        for (long g : guards) {
            if (g >= 0 && (guardWeights == null || g >= guardWeights.length())) {
                throw new IllegalArgumentException("guard index " + g + " outside the guard buffer");
            }
        }
        this.steps = steps.clone();
        this.guards = guards.clone();
        this.guardWeights = guardWeights;
        this.nanos = profile ? new long[steps.length] : null;
    }

    /** Runs steps [from, to). */
    public void run(int from, int to) {
        if (nanos != null) {
            runProfiled(from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            long g = guards[i];
            if (g >= 0 && guardWeights.get(g) == 0f) {
                continue;
            }
            steps[i].run();
        }
    }

    private void runProfiled(int from, int to) {
        for (int i = from; i < to; i++) {
            long g = guards[i];
            if (g >= 0 && guardWeights.get(g) == 0f) {
                continue;
            }
            long t0 = System.nanoTime();
            steps[i].run();
            awaitStep();
            nanos[i] += System.nanoTime() - t0;
        }
    }

    /**
     * Waits until the step just run has finished, so that a profile times its work and not only its
     * launch. The CPU runs steps synchronously (nothing to wait for); a device backend overrides this.
     */
    protected void awaitStep() {
    }

    public final int size() { return steps.length; }

    /** Per step, the guard index into the weight buffer, or -1 (a copy). */
    protected final long[] guards() { return guards.clone(); }

    /** The buffer guards read (null when no step is guarded). */
    protected final Buffer guardWeights() { return guardWeights; }

    /** Whether every step is timed (then a device backend must run eagerly). */
    protected final boolean profiling() { return nanos != null; }

    /** The i-th bound step (its kernel name, for --explain and tests). */
    public final BoundStep step(int i) { return steps[i]; }

    /** Per-step nanoseconds since the last reset, or null when not profiling. */
    public long[] stepNanos() { return nanos == null ? null : nanos.clone(); }

    public void resetTimers() {
        if (nanos != null) {
            Arrays.fill(nanos, 0);
        }
    }

    /**
     * Releases what the executor made on the device (a CUDA backend's captured graphs). Its plan calls it when it
     * closes or binds its steps anew; the CPU executor holds nothing. Not run again after this.
     */
    public void close() {
    }
}
