package archway.runtime;

/**
 * One kernel call with every buffer and descriptor resolved at bind time: running it allocates
 * nothing. Each implementation is a named class per kernel, so a profiler's stack or a debugger's
 * frame shows which kernel runs; {@link #kernel} names it for the executor's profile.
 */
public interface BoundStep {
    /** The kernel's name (e.g. {@code conv2d_fwd}). */
    String kernel();

    void run();
}
