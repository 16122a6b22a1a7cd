package archway.runtime;

/**
 * Where the arithmetic runs. The engine above the runtime reaches kernels and memory only through
 * this interface:
 * <ul>
 *   <li>{@link #arena()} hands out backend-owned {@link Buffer}s (parameters, gradients, optimiser
 *       state, the activation workspace, input staging);</li>
 *   <li>{@link #binder()} turns the kernel calls graph ops emit ({@link KernelCall}) into
 *       {@link BoundStep}s over those buffers, which an {@link Executor} runs;</li>
 *   <li>{@link #flat()} runs the flat-buffer operations algorithms use between plan runs.</li>
 * </ul>
 * A backend for a device implements the same three parts over device memory (device pointers as
 * plain longs behind its {@code Buffer}s) and may replace the {@link Executor}'s step loop with a
 * captured graph of the whole bound list (see docs/ENGINE.md).
 */
public interface Backend {
    /** Short name: {@code cpu}, {@code cuda:0}. */
    String name();

    /** A new buffer lifetime. */
    BufferArena arena();

    /** A new binding scope for one plan. */
    Binder binder();

    /** The flat-buffer operations. */
    FlatOps flat();

    /**
     * The runner of one plan's bound steps: the plain step loop here; a device backend may return one
     * that captures step ranges as graphs and replays them.
     */
    default Executor executor(BoundStep[] steps, long[] guards, Buffer guardWeights, boolean profile) {
        return new Executor(steps, guards, guardWeights, profile);
    }

    /**
     * Whether plans on this backend fold a training batch norm read only by a sum into that sum
     * ({@link KernelCall.BatchNormAdd}: statistics-only forward, the normalised tensor never written).
     * The CPU backend does; a backend without the kernel keeps the default, false.
     */
    default boolean fusesBatchNormIntoSums() {
        return false;
    }

    /**
     * Whether plans on this backend run two convolutions of one input (siblings: the edges leaving one
     * cell node) as one call ({@link KernelCall.SiblingConv2dFwd} and its gradients). The CPU backend does
     * (its Winograd kernels then read and transform the input once); the default is false.
     */
    default boolean fusesSiblingConvolutions() {
        return false;
    }

    /**
     * Whether this backend's {@link FlatOps#u8ToF32Normalize} runs on the host ({@link HostConvert}), which
     * the CUDA backend's does: it has no device kernel for it, so it reads the uploaded bytes back. The
     * batch loader then converts in its producer thread and uploads the floats in one copy. The default
     * is false: the CPU backend converts in place with its native kernel.
     */
    default boolean convertsImagesOnHost() {
        return false;
    }

    /**
     * Makes this backend's device current on the calling thread. The device is a per-thread setting of the CUDA
     * runtime, and the backend was opened on the thread that selected it: a thread of a trial runner calls this
     * before its first device work (docs/ARCHITECTURE.md: one thread drives a backend's device work at a time).
     * The CPU backend has nothing to set.
     */
    default void enterThread() {
    }

    /** Worker threads for the kernels (OpenMP on the CPU; ignored by device backends). */
    void threads(int n);

    /** The current worker thread count. */
    int threads();

    /**
     * The first {@code n} values of a Philox normal stream, copied to the host: for small host-side
     * vectors (initial architecture parameters, random search directions, synthetic benchmark data).
     */
    default float[] normalToHost(int n, long seed, int purpose, int step) {
        return toHost(n, b -> flat().normal(b, n, seed, purpose, step));
    }

    /** The first {@code n} values of a Philox uniform [0, 1) stream, copied to the host. */
    default float[] uniformToHost(int n, long seed, int purpose, int step) {
        return toHost(n, b -> flat().uniform(b, n, seed, purpose, step));
    }

    /** Fills a temporary buffer of n elements with {@code fill} and copies it to a host array. */
    private float[] toHost(int n, java.util.function.Consumer<Buffer> fill) {
        try (BufferArena a = arena()) {
            Buffer b = a.allocate(n);
            fill.accept(b);
            float[] out = new float[n];
            b.read(0, out);
            return out;
        }
    }
}
