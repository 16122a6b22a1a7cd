package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device arena's bookkeeping against a fake allocator: alignment, one chunk for a plan, growth, freeing. */
class BumpArenaTest {
    private final List<long[]> chunks = new ArrayList<>();
    private final List<Long> freed = new ArrayList<>();
    private long nextAddress = 1L << 32;

    private BumpArena arena() {
        return new BumpArena(bytes -> {
            long a = nextAddress;
            nextAddress += bytes + (1L << 20);
            chunks.add(new long[] {a, bytes});
            return a;
        }, freed::add);
    }

    @Test
    void manySmallBuffersShareOneAlignedChunk() {
        BumpArena a = arena();
        long prev = -1;
        long[] sizes = {4, 1000, 256, 257, 1, 0, 4096};
        for (long s : sizes) {
            long addr = a.allocate(s);
            assertEquals(0, addr % BumpArena.ALIGN);
            if (prev >= 0) {
                assertTrue(addr > prev);
            }
            prev = addr;
        }
        assertEquals(1, a.chunkCount());
        assertEquals(BumpArena.MIN_CHUNK, chunks.get(0)[1]);
        // Spans never overlap: 4 -> 256, 1000 -> 1024, 256, 257 -> 512, 1 -> 256, 0 -> 256.
        assertEquals(chunks.get(0)[0] + 256 + 1024 + 256 + 512 + 256 + 256, prev);
    }

    @Test
    void aLargeRequestGetsItsOwnChunkAndLaterChunksDouble() {
        BumpArena a = arena();
        a.allocate(3 * BumpArena.MIN_CHUNK + 5);
        a.allocate(16);
        assertEquals(2, a.chunkCount());
        long first = chunks.get(0)[1];
        assertEquals(3 * BumpArena.MIN_CHUNK + BumpArena.ALIGN, first);
        assertEquals(2 * first, chunks.get(1)[1]);
        a.close();
        a.close();
        assertEquals(List.of(chunks.get(0)[0], chunks.get(1)[0]), freed);
        assertThrows(IllegalStateException.class, () -> a.allocate(4));
        assertThrows(IllegalArgumentException.class, () -> arena().allocate(-1));
    }
}
