package archway.graph;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;

/**
 * The one activation arena shared by every plan of a model, owned by the backend. Plans run one at a
 * time, so the arena is sized to the largest plan; when a bigger plan arrives the arena moves and older
 * plans rebind their steps (cheap: kernel calls are bound again, nothing is re-planned) before their
 * next run.
 */
public final class Workspace implements AutoCloseable {
    private final Backend backend;
    private BufferArena arena;
    private Buffer buffer;
    private long bytes;
    private int generation;

    /** A workspace on the default backend. */
    public Workspace() {
        this(Backends.standard());
    }

    public Workspace(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() { return backend; }

    /** Makes the arena at least {@code needed} bytes; bumps the generation when it moves. */
    public Buffer ensure(long needed) {
        if (needed > bytes || arena == null) {
            archway.MemoryBudget.requireNative(needed - bytes, "the activations of this network at this batch size");
            if (arena != null) {
                arena.close();
            }
            arena = backend.arena();
            bytes = Math.max(needed, 64);
            buffer = arena.allocateBytes(bytes);
            generation++;
        }
        return buffer;
    }

    public int generation() { return generation; }

    public long bytes() { return bytes; }

    /** The arena (null before the first plan ran). */
    public Buffer buffer() { return buffer; }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
            buffer = null;
            bytes = 0;
        }
    }
}
