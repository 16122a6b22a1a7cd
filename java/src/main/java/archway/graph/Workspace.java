package archway.graph;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one activation arena shared by every plan of a model. Plans run one at a time, so the arena is
 * sized to the largest plan; when a bigger plan arrives the arena moves and older plans rebind their
 * steps (cheap: factories are re-run, nothing is re-planned) before their next run.
 */
public final class Workspace implements AutoCloseable {
    private Arena arena;
    private MemorySegment segment = MemorySegment.NULL;
    private long bytes;
    private int generation;

    /** Makes the arena at least {@code needed} bytes; bumps the generation when it moves. */
    public MemorySegment ensure(long needed) {
        if (needed > bytes || arena == null) {
            if (arena != null) {
                arena.close();
            }
            arena = Arena.ofShared();
            bytes = Math.max(needed, 64);
            segment = arena.allocate(bytes, 64);
            generation++;
        }
        return segment;
    }

    public int generation() { return generation; }

    public long bytes() { return bytes; }

    public MemorySegment segment() { return segment; }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
            bytes = 0;
        }
    }
}
