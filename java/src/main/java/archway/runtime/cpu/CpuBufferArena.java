package archway.runtime.cpu;

import archway.bindings.cpu.HugePageMemory;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.lang.foreign.Arena;

/**
 * Host memory from one shared FFM arena, freed together. Buffers of 1 MiB and more (workspaces,
 * parameter and gradient blocks) go on transparent huge pages where the platform has them
 * ({@link HugePageMemory}); smaller ones come from the arena's allocator, 64-byte aligned.
 */
final class CpuBufferArena implements BufferArena {
    private final Arena arena = Arena.ofShared();

    @Override
    public Buffer allocate(long elements) {
        return allocateBytes(Math.max(1, elements) * Float.BYTES);
    }

    @Override
    public Buffer allocateBytes(long bytes) {
        long size = Math.max(1, bytes);
        if (size >= HugePageMemory.MIN_BYTES && HugePageMemory.available()) {
            return new CpuBuffer(HugePageMemory.allocate(size, arena));
        }
        return new CpuBuffer(arena.allocate(size, 64));
    }

    @Override
    public void close() {
        arena.close();
    }
}
