package archway.runtime.cpu;

import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.lang.foreign.Arena;

/** Host memory from one shared FFM arena, freed together. */
final class CpuBufferArena implements BufferArena {
    private final Arena arena = Arena.ofShared();

    @Override
    public Buffer allocate(long elements) {
        return new CpuBuffer(arena.allocate(Math.max(1, elements) * Float.BYTES, 64));
    }

    @Override
    public Buffer allocateBytes(long bytes) {
        return new CpuBuffer(arena.allocate(Math.max(1, bytes), 64));
    }

    @Override
    public void close() {
        arena.close();
    }
}
