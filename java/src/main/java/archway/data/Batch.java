package archway.data;

import archway.runtime.Buffer;

/**
 * One batch in backend memory (host staging on the CPU), ready for the kernels: {@link #images()} float32 [capacity, C, H, W] normalised,
 * {@link #labels()} int32 [capacity]; the first {@link #size()} entries are valid (a final evaluation batch
 * can be partial). The buffers belong to the loader that produced the batch and are reused:
 * {@link #close()} hands them back, and they must not be touched afterwards (use try-with-resources).
 */
public final class Batch implements AutoCloseable {
    private final Buffer images;
    private final Buffer labels;
    private final int capacity;
    private final int channels;
    private final int height;
    private final int width;
    private final java.util.function.Consumer<Batch> recycler;
    int size;
    int epoch;
    int step;
    /** True while the consumer holds the batch; makes a second close() harmless. */
    boolean held;
    /** Host side of a loader's batch: uint8 images and label bytes, uploaded when the consumer takes it. */
    byte[] hostImages;
    byte[] hostLabels;
    /** The images already normalised, as float bytes, when the backend converts on the host (else null). */
    byte[] hostFloats;

    Batch(Buffer images, Buffer labels, int capacity, int channels, int height, int width,
          java.util.function.Consumer<Batch> recycler) {
        this.images = images;
        this.labels = labels;
        this.capacity = capacity;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.recycler = recycler;
    }

    /** float32 [capacity, C, H, W]; rows beyond {@link #size()} hold stale data. */
    public Buffer images() {
        return images;
    }

    /** int32 [capacity]. */
    public Buffer labels() {
        return labels;
    }

    /** Valid images in this batch (== capacity except for a final partial evaluation batch). */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Epoch this batch belongs to (0 for evaluation batches). */
    public int epoch() {
        return epoch;
    }

    /** Step within the epoch (the batch number for evaluation). */
    public int step() {
        return step;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Returns the buffers to the loader for reuse. */
    @Override
    public void close() {
        if (held) {
            held = false;
            recycler.accept(this);
        }
    }
}
