package archway.bindings.cpu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Large host buffers on transparent huge pages (Linux): anonymous memory mapped on a 2 MiB boundary and
 * marked {@code MADV_HUGEPAGE} before it is touched, so the kernel backs it with 2 MiB pages where the
 * system allows (transparent_hugepage set to "madvise" or "always").
 *
 * <p>Why: the training step streams its activations (tens of MiB) through batch norm, sums and the
 * convolutions' layout changes; with 4 KiB pages every 4 KiB is a TLB miss, and under a hypervisor each
 * miss walks two page tables. Measured on the development VM (docs/ENGINE.md, "Huge pages"): batch norm
 * 8-10% faster in isolation, the training step 2-10% faster.
 *
 * <p>Where mmap, munmap or madvise cannot be found (not Linux) {@link #available()} is false and the
 * caller allocates as before. A failed madvise only means 4 KiB pages. The memory is zero, as
 * {@link Arena#allocate} would return it.
 */
public final class HugePageMemory {
    /** Requests below this many bytes stay on the ordinary allocator (a huge page would be mostly empty). */
    public static final long MIN_BYTES = 2L << 20;

    private static final long HUGE_PAGE = 2L << 20;
    private static final long SMALL_PAGE = 4096;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;

    private static final MethodHandle MMAP, MUNMAP, MADVISE;

    static {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> mmap = Optional.empty(), munmap = Optional.empty(), madvise = Optional.empty();
        if (System.getProperty("os.name", "").startsWith("Linux")
                && !Boolean.getBoolean("archway.hugepages.off")) {
            mmap = linker.defaultLookup().find("mmap");
            munmap = linker.defaultLookup().find("munmap");
            madvise = linker.defaultLookup().find("madvise");
        }
        boolean found = mmap.isPresent() && munmap.isPresent() && madvise.isPresent();
        MMAP = found ? linker.downcallHandle(mmap.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG)) : null;
        MUNMAP = found ? linker.downcallHandle(munmap.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG)) : null;
        MADVISE = found ? linker.downcallHandle(madvise.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)) : null;
    }

    private HugePageMemory() {}

    /**
     * What large host buffers get here, in words: "transparent huge pages (madvise)" and the system's
     * setting, or why not (for {@code nas devices} and benchmark reports).
     */
    public static String status() {
        if (Boolean.getBoolean("archway.hugepages.off")) {
            return "4 KiB pages (huge pages turned off: -Darchway.hugepages.off=true)";
        }
        if (!available()) {
            return "the allocator's pages (no mmap/madvise: not Linux)";
        }
        String setting;
        try {
            setting = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).trim();
        } catch (IOException | RuntimeException e) {
            return "buffers >= 2 MiB advised MADV_HUGEPAGE (transparent huge page setting unreadable)";
        }
        if (setting.contains("[never]")) {
            return "4 KiB pages (transparent huge pages are off on this system: " + setting + ")";
        }
        return "buffers >= 2 MiB on transparent huge pages (system setting: " + setting + ")";
    }

    /** Whether this platform maps huge-page memory here (else allocate with the arena). */
    public static boolean available() {
        return MMAP != null;
    }

    /**
     * {@code bytes} of zeroed memory starting on a 2 MiB boundary, unmapped when {@code owner} closes.
     *
     * @throws OutOfMemoryError when the system refuses the mapping
     */
    public static MemorySegment allocate(long bytes, Arena owner) {
        if (!available()) {
            throw new IllegalStateException("huge-page memory is not available on this platform");
        }
        long length = roundUp(Math.max(1, bytes), SMALL_PAGE);
        // Map one huge page more than asked, keep the part from the first 2 MiB boundary, return the rest.
        long mapped = length + HUGE_PAGE;
        long base = address(call(MMAP, MemorySegment.NULL, mapped, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L));
        if (base == MAP_FAILED || base == 0) {
            throw new OutOfMemoryError("cannot map " + mapped + " bytes of host memory");
        }
        long start = roundUp(base, HUGE_PAGE);
        unmap(base, start - base);
        unmap(start + length, base + mapped - (start + length));
        // Whole huge pages only: a partly used last one would fault in 2 MiB for a few bytes (peak RSS).
        // Advice only: where transparent huge pages are off the call fails and 4 KiB pages remain.
        long advised = length / HUGE_PAGE * HUGE_PAGE;
        call(MADVISE, MemorySegment.ofAddress(start), advised, MADV_HUGEPAGE);
        return MemorySegment.ofAddress(start).reinterpret(length, owner, s -> unmap(start, length))
                .asSlice(0, bytes);
    }

    private static void unmap(long address, long length) {
        if (length > 0) {
            call(MUNMAP, MemorySegment.ofAddress(address), length);
        }
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    private static long address(Object segment) {
        return ((MemorySegment) segment).address();
    }

    private static Object call(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
