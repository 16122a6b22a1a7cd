package archway.runtime.cuda;

/**
 * When a bound step range is captured as a CUDA graph, replayed, or re-captured. One policy per range
 * (a plan's forward, backward, or a whole step): the first run is eager (libraries initialise and
 * allocate lazily, which stream capture forbids); the next captures; later runs replay as long as the
 * skip pattern is the one captured, and re-capture when it changes (sparsemax zeroed, or revived, an
 * op). Profiling forces eager runs, since a graph times as one unit. Pure logic, so it is tested on
 * the CPU; {@link CudaGraphRunner} acts on its answers.
 */
public final class RecapturePolicy {
    private SkipPattern captured;
    private boolean warmedUp;
    private boolean eagerOnly;
    private long captures;

    /** The action for the next run under {@code pattern}; records a capture when it answers one. */
    public GraphAction next(SkipPattern pattern, boolean profiling) {
        if (profiling || !warmedUp || eagerOnly) {
            warmedUp = true;
            return GraphAction.EAGER;
        }
        if (captured == null) {
            captured = pattern;
            captures++;
            return GraphAction.CAPTURE;
        }
        if (captured.equals(pattern)) {
            return GraphAction.REPLAY;
        }
        captured = pattern;
        captures++;
        return GraphAction.RECAPTURE;
    }

    /** Forgets the graph (the capture failed, or the plan's memory moved): the next run captures again. */
    public void invalidate() {
        captured = null;
    }

    /**
     * A capture of this range failed (a library call that stream capture does not allow): the range
     * runs eagerly from now on, which is correct, only slower.
     */
    public void captureFailed() {
        eagerOnly = true;
        captured = null;
    }

    /** Whether {@link #captureFailed()} sent this range to eager runs for good. */
    public boolean eagerOnly() { return eagerOnly; }

    /** Captures so far (first captures and re-captures). */
    public long captures() { return captures; }
}
