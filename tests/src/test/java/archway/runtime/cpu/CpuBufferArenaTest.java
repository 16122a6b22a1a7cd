package archway.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.bindings.cpu.HugePageMemory;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CPU arena's buffers: small ones from the arena allocator, large ones on huge-page memory. Both
 * must be zeroed, exactly sized, writable end to end, and gone when the arena closes.
 */
class CpuBufferArenaTest {
    private static final long HUGE = 2L << 20;

    @Test
    void smallBuffersAreZeroedAlignedAndExactlySized() {
        try (BufferArena a = CpuBackend.instance().arena()) {
            Buffer b = a.allocate(1000);
            MemorySegment s = CpuBuffer.segment(b);
            assertEquals(4000, s.byteSize());
            assertEquals(0, s.address() % 64);
            assertZeroThenWritable(s);
        }
    }

    @Test
    void largeBuffersStartOnAHugePageBoundaryAndAreExactlySized() {
        assumeTrue(HugePageMemory.available(), "no mmap/madvise on this platform (not Linux)");
        long floats = 3 * (HUGE / Float.BYTES) + 12345;  // three huge pages and a ragged tail
        try (BufferArena a = CpuBackend.instance().arena()) {
            MemorySegment s = CpuBuffer.segment(a.allocate(floats));
            assertEquals(floats * Float.BYTES, s.byteSize());
            assertEquals(0, s.address() % HUGE, "large buffers start on a 2 MiB boundary");
            assertZeroThenWritable(s);
            MemorySegment odd = CpuBuffer.segment(a.allocateBytes(HUGE + 3));
            assertEquals(HUGE + 3, odd.byteSize());
            assertZeroThenWritable(odd);
        }
    }

    @Test
    void closingTheArenaReleasesLargeBuffers() {
        assumeTrue(HugePageMemory.available(), "no mmap/madvise on this platform (not Linux)");
        BufferArena a = CpuBackend.instance().arena();
        MemorySegment s = CpuBuffer.segment(a.allocate(HUGE));
        long address = s.address();
        a.close();
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_FLOAT, 0));
        assertTrue(!mappingContains(address), "the mapping is gone after close");
    }

    @Test
    void largeBuffersAreBackedByHugePagesWhereTheSystemAllowsThem() throws IOException {
        assumeTrue(HugePageMemory.available(), "no mmap/madvise on this platform (not Linux)");
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        assumeTrue(Files.isReadable(setting) && !Files.readString(setting).contains("[never]"),
                "transparent huge pages are off on this machine");
        try (BufferArena a = CpuBackend.instance().arena()) {
            MemorySegment s = CpuBuffer.segment(a.allocate(4 * HUGE / Float.BYTES));
            s.fill((byte) 1);
            long hugeKb = anonHugeKb(s.address());
            assertTrue(hugeKb >= 2048, "AnonHugePages of the buffer's mapping: " + hugeKb + " kB");
        }
        // A parameter span of a small network (1.5 MiB) fills most of one huge page: it gets one.
        try (BufferArena a = CpuBackend.instance().arena()) {
            MemorySegment params = CpuBuffer.segment(a.allocateBytes(3 * HUGE / 4));
            assertEquals(0, params.address() % HUGE, "a 1.5 MiB buffer starts on a 2 MiB boundary");
            params.fill((byte) 1);
            long hugeKb = anonHugeKb(params.address());
            assertTrue(hugeKb >= 2048, "AnonHugePages of a 1.5 MiB buffer's mapping: " + hugeKb + " kB");
        }
    }

    @Test
    void theStatusLineSaysWhatLargeBuffersGet() throws IOException {
        String status = HugePageMemory.status();
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        if (!HugePageMemory.available()) {
            assertTrue(status.contains("not Linux"), status);
        } else if (Files.isReadable(setting) && Files.readString(setting).contains("[never]")) {
            assertTrue(status.startsWith("4 KiB pages"), status);
        } else if (Files.isReadable(setting)) {
            assertTrue(status.startsWith("buffers and kernel scratch >= 1 MiB on transparent huge pages"), status);
            assertTrue(status.contains(Files.readString(setting).trim()), status);
        }
    }

    private static void assertZeroThenWritable(MemorySegment s) {
        long n = s.byteSize();
        for (long i = 0; i < n; i += 4093) {
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i), "zero at " + i);
        }
        assertEquals(0, s.get(ValueLayout.JAVA_BYTE, n - 1));
        s.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
        s.set(ValueLayout.JAVA_BYTE, n - 1, (byte) 9);
        assertEquals(7, s.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(9, s.get(ValueLayout.JAVA_BYTE, n - 1));
    }

    /** AnonHugePages (kB) of the /proc/self/smaps entry holding {@code address}, or -1. */
    private static long anonHugeKb(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        boolean inside = false;
        for (String line : lines) {
            if (isRangeLine(line)) {
                inside = rangeContains(line, address);
            } else if (inside && line.startsWith("AnonHugePages:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static boolean mappingContains(long address) {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> rangeContains(l, address));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isRangeLine(String line) {
        int dash = line.indexOf('-'), space = line.indexOf(' ');
        return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static boolean rangeContains(String line, long address) {
        if (!isRangeLine(line)) {
            return false;
        }
        long from = Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
        long to = Long.parseUnsignedLong(line.substring(line.indexOf('-') + 1, line.indexOf(' ')), 16);
        return Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address, to) < 0;
    }
}
