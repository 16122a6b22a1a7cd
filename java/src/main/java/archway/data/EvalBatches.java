package archway.data;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;

/**
 * Synchronous, in-order batches for evaluation: no shuffling, no augmentation, fixed-size batches whose last
 * one may be partial ({@link Batch#size()} tells its real size). One native buffer is reused for every batch,
 * so a batch is valid until the next {@link #next()} call.
 *
 * <pre>{@code
 * try (EvalBatches it = new EvalBatches(test, 256, stats)) {
 *     while (it.hasNext()) { Batch b = it.next(); ... b.size() ... }
 * }
 * }</pre>
 */
public final class EvalBatches implements AutoCloseable {
    private final Dataset ds;
    private final int[] indices;
    private final Backend backend = Backends.standard();
    private final BufferArena arena = backend.arena();
    private final Buffer staging;
    private final Buffer mean;
    private final Buffer std;
    private boolean freed;
    private final byte[] scratch;
    private final byte[] labels;
    private final Batch batch;
    private int position;
    private int number;

    /** Every image of {@code ds} in order. */
    public EvalBatches(Dataset ds, int batchSize, ChannelStats stats) {
        this(ds, identity(ds.size()), batchSize, stats);
    }

    /** The images at {@code indices}, in that order (e.g. {@link SearchSplit#archVal()}). */
    public EvalBatches(Dataset ds, int[] indices, int batchSize, ChannelStats stats) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (stats.channels() != ds.channels()) {
            throw new IllegalArgumentException("normalisation has " + stats.channels() + " channels, "
                    + ds.name() + " has " + ds.channels());
        }
        for (int i : indices) {
            if (i < 0 || i >= ds.size()) {
                throw new IllegalArgumentException("index " + i + " outside " + ds.name() + " [0, " + ds.size() + ")");
            }
        }
        this.ds = ds;
        this.indices = indices.clone();
        long perBatch = (long) batchSize * ds.imageSize();
        this.staging = arena.allocateBytes(perBatch);
        this.scratch = new byte[Math.toIntExact(perBatch)];
        this.labels = LabelBytes.forLabels(batchSize);
        this.mean = arena.allocate(ds.channels());
        this.std = arena.allocate(ds.channels());
        for (int ch = 0; ch < ds.channels(); ch++) {
            mean.set(ch, (float) stats.mean(ch));
            std.set(ch, (float) stats.std(ch));
        }
        this.batch = new Batch(arena.allocate(perBatch), arena.allocate(batchSize), batchSize, ds.channels(), ds.height(), ds.width(),
                b -> { });
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Number of batches, counting a final partial one. */
    public int batchCount() {
        return (indices.length + batch.capacity() - 1) / batch.capacity();
    }

    /** Number of images covered. */
    public int imageCount() {
        return indices.length;
    }

    public boolean hasNext() {
        return position < indices.length;
    }

    /** Fills and returns the shared batch with the next (up to) batchSize images. */
    public Batch next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("no more evaluation batches");
        }
        int n = Math.min(batch.capacity(), indices.length - position);
        int per = ds.imageSize();
        byte[] src = ds.imageBytes();
        for (int slot = 0; slot < n; slot++) {
            int idx = indices[position + slot];
            System.arraycopy(src, idx * per, scratch, slot * per, per);
            LabelBytes.put(labels, slot, ds.label(idx));
        }
        staging.writeBytes(scratch, n * per);
        batch.labels().writeBytes(labels, n * Integer.BYTES);
        backend.flat().u8ToF32Normalize(staging, batch.images(), n, ds.channels(), (long) ds.height() * ds.width(),
                mean, std);
        batch.size = n;
        batch.epoch = 0;
        batch.step = number++;
        position += n;
        return batch;
    }

    /** Starts again from the first image. */
    public void reset() {
        position = 0;
        number = 0;
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            arena.close();
        }
    }
}
