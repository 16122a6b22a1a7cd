package archway.run;

import archway.UserError;

/** Sizes a run needs that the data or the kernels bound, checked before anything is allocated. */
public final class SizeLimits {
    /**
     * OpenMP teams far beyond any machine fail inside the native runtime (20,000 threads crash it on
     * Linux); reproducing a many-core result on a small machine stays possible below this.
     */
    public static final int MAX_THREADS = 1024;

    private SizeLimits() {
    }

    /**
     * Plans have a static batch size and an epoch uses whole batches, so a batch must not exceed the
     * images it is drawn from ({@code source} names them in the message; {@code subset}: they are a
     * --train-limit subset, which can be made larger).
     */
    public static void requireBatchFits(int batch, int images, String source, boolean subset) {
        if (batch > images) {
            throw new UserError("--batch " + batch + " is larger than the " + images + " images of " + source
                    + " (use --batch " + Math.max(1, images) + " or less" + (subset ? ", or a larger --train-limit" : "")
                    + ")");
        }
    }

    /** --threads: at least 1 and at most {@link #MAX_THREADS}; more than the cores is allowed with a warning. */
    public static int threads(int requested, int cores, java.io.PrintStream log) {
        if (requested < 1 || requested > MAX_THREADS) {
            throw new UserError("--threads " + requested + " is outside 1.." + MAX_THREADS);
        }
        if (requested > cores) {
            log.printf("warning: --threads %d is more than the %d cores of this machine: the run is reproducible "
                    + "per thread count, but the extra threads only share the cores%n", requested, cores);
        }
        return requested;
    }
}
