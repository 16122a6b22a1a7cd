package archway.runtime.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * The device arena's bookkeeping, apart from the device: carves 256-byte aligned spans out of large
 * chunks, so a plan's whole workspace is normally one cudaMalloc (the first chunk is sized for the
 * first request, later chunks double). Chunks come from {@code allocateChunk} (bytes -> address, zero
 * filled) and go back together through {@code freeChunk}. Tested on the CPU with fake addresses.
 */
public final class BumpArena {
    /** cuDNN and cuBLAS want 256-byte aligned operands; 64 would do for our kernels. */
    public static final long ALIGN = 256;
    /** Smallest chunk: small arenas (optimiser state of a tiny net) still cost one allocation each. */
    public static final long MIN_CHUNK = 1L << 20;

    private final LongUnaryOperator allocateChunk;
    private final LongConsumer freeChunk;
    private final List<Long> chunks = new ArrayList<>();
    private long base, size, used, lastChunk;
    private boolean closed;

    public BumpArena(LongUnaryOperator allocateChunk, LongConsumer freeChunk) {
        this.allocateChunk = allocateChunk;
        this.freeChunk = freeChunk;
    }

    /** The device address of a new span of {@code bytes} bytes. */
    public long allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("arena closed");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        long rounded = Math.max(ALIGN, (bytes + ALIGN - 1) / ALIGN * ALIGN);
        if (chunks.isEmpty() || used + rounded > size) {
            long chunk = Math.max(rounded, Math.max(MIN_CHUNK, 2 * lastChunk));
            base = allocateChunk.applyAsLong(chunk);
            chunks.add(base);
            size = chunk;
            lastChunk = chunk;
            used = 0;
        }
        long address = base + used;
        used += rounded;
        return address;
    }

    /** Device allocations made so far. */
    public int chunkCount() { return chunks.size(); }

    /** Frees every chunk (once). */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (long c : chunks) {
            freeChunk.accept(c);
        }
        chunks.clear();
    }
}
