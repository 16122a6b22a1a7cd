package archway.data;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.HostConvert;
import java.util.Objects;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Background training batches: one producer thread assembles shuffled batches from an index list and
 * augments them on uint8, on the host. {@link #next()} then uploads the taken batch and converts it to
 * normalised float32 NCHW in one native call ({@link archway.runtime.FlatOps#u8ToF32Normalize}) straight into
 * its preallocated {@link Batch} buffers: device work is issued only by the consumer's thread, so on a GPU
 * it is ordered on the stream the plans run on and never lands inside a plan's graph capture (the first GPU
 * run found the producer's copies breaking captures). A backend that converts on the host anyway
 * ({@link Backend#convertsImagesOnHost}, the CUDA one) gets the batch normalised by the producer instead,
 * and {@code next()} uploads the floats in one copy. A small ring of
 * batches circulates through two bounded single-producer single-consumer queues ({@link SpscQueue}; filled:
 * producer to consumer; free: back), so the steady state allocates nothing.
 *
 * <p><b>Determinism.</b> Epoch e visits {@code indices} in a Fisher-Yates order drawn from a SplitMix64
 * stream seeded by (seed, "shuffle", e); the image at position p of epoch e (p = step*batchSize + slot) is
 * augmented from a stream seeded by (seed, "augment", e, p). Neither depends on earlier epochs, earlier
 * steps or thread timing, so the same seed gives the same batches and a loader started at (epoch, step)
 * continues a run exactly. Each epoch has {@code indices.length / batchSize} full batches (the remainder of
 * the shuffled order is dropped: plans have a static batch size); the loader runs until closed.
 *
 * <p><b>Threads.</b> {@link #next()} and {@link Batch#close()} must be called from one consumer thread.
 */
public final class BatchLoader implements AutoCloseable {
    /** Default number of batches in flight. */
    public static final int DEFAULT_RING = 3;

    private final Dataset ds;
    private final int[] indices;
    private final int batchSize;
    private final Augmentation aug;
    private final long seed;
    private final int stepsPerEpoch;
    private final Backend backend = Backends.standard();
    private final BufferArena arena = backend.arena();
    private boolean freed;
    private final SpscQueue<Batch> filled;
    private final SpscQueue<Batch> free;
    private final Buffer staging;
    private final Buffer mean;
    private final Buffer std;
    /** The backend converts images on the host: the producer normalises, next() uploads floats. */
    private final boolean hostConvert = backend.convertsImagesOnHost();
    private final float[] hostMean;
    private final float[] hostStd;
    private final int[] order;
    private final byte[] fill;
    private final Thread producer;
    private final IdleStrategy consumerIdle = new BackoffIdleStrategy(64, 16, 1_000, 500_000);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final int startEpoch;
    private final int startStep;

    /**
     * Starts a loader at epoch 0, step 0 with {@link #DEFAULT_RING} buffers.
     *
     * @param indices images of {@code ds} to draw from (e.g. {@link SearchSplit#weightTrain()})
     * @param stats   normalisation constants, normally {@code ChannelStats.of(train)}
     */
    public static BatchLoader start(Dataset ds, int[] indices, int batchSize, Augmentation aug, ChannelStats stats,
                                    long seed) {
        return new BatchLoader(ds, indices, batchSize, aug, stats, seed, 0, 0, DEFAULT_RING);
    }

    /** Starts a loader whose first batch is (startEpoch, startStep), for resuming a run. */
    public static BatchLoader resume(Dataset ds, int[] indices, int batchSize, Augmentation aug, ChannelStats stats,
                                     long seed, int startEpoch, int startStep) {
        return new BatchLoader(ds, indices, batchSize, aug, stats, seed, startEpoch, startStep, DEFAULT_RING);
    }

    /**
     * @param ring batches in flight (>= 2: one being filled while the consumer holds another)
     */
    public BatchLoader(Dataset ds, int[] indices, int batchSize, Augmentation aug, ChannelStats stats, long seed,
                       int startEpoch, int startStep, int ring) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.aug = Objects.requireNonNull(aug, "aug");
        if (batchSize < 1 || indices.length < batchSize) {
            throw new IllegalArgumentException("batch size " + batchSize + " needs 1.." + indices.length
                    + " (the number of indices)");
        }
        if (stats.channels() != ds.channels()) {
            throw new IllegalArgumentException("normalisation has " + stats.channels() + " channels, "
                    + ds.name() + " has " + ds.channels());
        }
        if (ring < 2) {
            throw new IllegalArgumentException("ring must hold at least 2 batches");
        }
        for (int i : indices) {
            if (i < 0 || i >= ds.size()) {
                throw new IllegalArgumentException("index " + i + " outside " + ds.name() + " [0, " + ds.size() + ")");
            }
        }
        this.indices = indices.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.stepsPerEpoch = indices.length / batchSize;
        if (startEpoch < 0 || startStep < 0 || startStep >= stepsPerEpoch) {
            throw new IllegalArgumentException("start (" + startEpoch + ", " + startStep + ") outside the "
                    + stepsPerEpoch + " steps per epoch");
        }
        this.startEpoch = startEpoch;
        this.startStep = startStep;
        int c = ds.channels();
        long perBatch = (long) batchSize * ds.imageSize();
        this.staging = arena.allocateBytes(perBatch);
        this.order = new int[indices.length];
        this.mean = arena.allocate(c);
        this.std = arena.allocate(c);
        this.fill = new byte[c];
        this.hostMean = new float[c];
        this.hostStd = new float[c];
        for (int ch = 0; ch < c; ch++) {
            hostMean[ch] = (float) stats.mean(ch);
            hostStd[ch] = (float) stats.std(ch);
            mean.set(ch, hostMean[ch]);
            std.set(ch, hostStd[ch]);
            fill[ch] = (byte) Math.round(stats.mean(ch) * 255);
        }
        this.filled = new SpscQueue<>(ring);
        this.free = new SpscQueue<>(ring);
        for (int r = 0; r < ring; r++) {
            Buffer img = arena.allocate(perBatch);
            Buffer lab = arena.allocate(batchSize);
            Batch b = new Batch(img, lab, batchSize, c, ds.height(), ds.width(), this::recycle);
            b.hostImages = new byte[Math.toIntExact(perBatch)];
            b.hostLabels = LabelBytes.forLabels(batchSize);
            b.hostFloats = hostConvert ? new byte[Math.toIntExact(perBatch * Float.BYTES)] : null;
            free.offer(b);
        }
        this.producer = Thread.ofPlatform().daemon().name("archway-batch-loader").unstarted(this::produce);
        producer.start();
    }

    /** The producer thread (tests measure its allocations). */
    Thread producerThread() {
        return producer;
    }

    /** Full batches per epoch: {@code indices.length / batchSize}. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * The next batch in (epoch, step) order, waiting for the producer when needed. Close it to hand its buffers
     * back; holding every ring buffer at once stalls the producer.
     *
     * @throws IllegalStateException when the loader is closed or its thread failed (the cause attached)
     */
    public Batch next() {
        consumerIdle.reset();
        while (true) {
            if (!running) {
                // Queued batches live in the freed arena: never hand them out after close().
                throw new IllegalStateException("batch loader is closed");
            }
            Batch b = filled.poll();
            if (b != null) {
                upload(b);
                b.held = true;
                return b;
            }
            Throwable t = failure;
            if (t != null) {
                throw new IllegalStateException("batch loader failed: " + t, t);
            }
            consumerIdle.idle();
        }
    }

    /** The taken batch's device work, on the consumer's thread (see the class comment). */
    private void upload(Batch b) {
        if (hostConvert) {
            b.images().writeBytes(b.hostFloats, b.hostFloats.length);  // normalised by the producer
        } else {
            staging.writeBytes(b.hostImages, b.hostImages.length);
            backend.flat().u8ToF32Normalize(staging, b.images(), batchSize, ds.channels(),
                    (long) ds.height() * ds.width(), mean, std);
        }
        b.labels().writeBytes(b.hostLabels, b.hostLabels.length);
    }

    private void recycle(Batch b) {
        if (running) {
            free.offer(b); // capacity == ring size, so this cannot fail
        }
    }

    private void produce() {
        IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 500_000);
        SeedStream shuffle = new SeedStream();
        SeedStream rnd = new SeedStream();
        int epoch = startEpoch;
        int step = startStep;
        shuffleFor(epoch, shuffle);
        try {
            while (running) {
                Batch b = free.poll();
                if (b == null) {
                    idle.idle();
                    continue;
                }
                idle.reset();
                assemble(b, epoch, step, rnd);
                filled.offer(b);
                if (++step == stepsPerEpoch) {
                    step = 0;
                    epoch++;
                    shuffleFor(epoch, shuffle);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** The visiting order of epoch e: a fresh permutation of the original index list. */
    private void shuffleFor(int epoch, SeedStream shuffle) {
        System.arraycopy(indices, 0, order, 0, indices.length);
        shuffle.reset(seed, SeedStream.SHUFFLE, epoch, 0).shuffle(order, order.length);
    }

    private void assemble(Batch b, int epoch, int step, SeedStream rnd) {
        int per = ds.imageSize();
        byte[] src = ds.imageBytes();
        boolean identity = aug.isIdentity();
        for (int slot = 0; slot < batchSize; slot++) {
            int pos = step * batchSize + slot;
            int idx = order[pos];
            if (identity) {
                System.arraycopy(src, idx * per, b.hostImages, slot * per, per);
            } else {
                rnd.reset(seed, SeedStream.AUGMENT, epoch, pos);
                aug.apply(src, idx * per, b.hostImages, slot * per, ds.channels(), ds.height(), ds.width(), rnd, fill);
            }
            LabelBytes.put(b.hostLabels, slot, ds.label(idx));
        }
        if (hostConvert) {
            // Host work, so it belongs here: the consumer then uploads floats without a round trip.
            HostConvert.u8ToF32NormalizeBytes(b.hostImages, batchSize, ds.channels(), (long) ds.height() * ds.width(),
                    hostMean, hostStd, b.hostFloats);
        }
        b.size = batchSize;
        b.epoch = epoch;
        b.step = step;
    }

    /** Stops the producer and frees every native buffer; batches still held become invalid. */
    @Override
    public void close() {
        if (!running && !producer.isAlive()) {
            return;
        }
        running = false;
        boolean interrupted = false;
        while (producer.isAlive()) {
            try {
                producer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (!freed) {
            freed = true;
            arena.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
