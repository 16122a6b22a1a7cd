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
    /**
     * Requests below this many bytes stay on the ordinary allocator (a huge page would be mostly empty).
     * Half a huge page: the parameter, gradient and momentum spans of small networks (about 1.3 MiB for
     * the NB201 training cell) are read in full every step, and on 4 KiB pages the optimiser step took
     * 1.0-2.5 ms instead of 0.2 (docs/ENGINE.md, "Huge pages").
     */
    public static final long MIN_BYTES = 1L << 20;

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
        if (System.getProperty("os.name", "").startsWith("Linux") && !turnedOff()) {
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
     * For A/B runs: the environment variable (which the native kernels' scratch memory reads too) or the
     * system property.
     */
    private static boolean turnedOff() {
        return Boolean.getBoolean("archway.hugepages.off") || "off".equals(System.getenv("ARCHWAY_HUGEPAGES"));
    }

    /**
     * What large host buffers get here, in words: "transparent huge pages (madvise)" and the system's
     * setting, or why not (for {@code nas devices} and benchmark reports).
     */
    public static String status() {
        if ("off".equals(System.getenv("ARCHWAY_HUGEPAGES"))) {
            return "4 KiB pages (huge pages turned off: ARCHWAY_HUGEPAGES=off)";
        }
        if (turnedOff()) {
            return "arena buffers on 4 KiB pages (-Darchway.hugepages.off=true); kernel scratch >= 1 MiB still on"
                    + " huge pages (ARCHWAY_HUGEPAGES=off turns both off)";
        }
        if (!available()) {
            return "the allocator's pages (no mmap/madvise: not Linux)";
        }
        String setting;
        try {
            setting = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).trim();
        } catch (IOException | RuntimeException e) {
            return "buffers and kernel scratch >= 1 MiB advised MADV_HUGEPAGE (transparent huge page setting unreadable)";
        }
        if (setting.contains("[never]")) {
            return "4 KiB pages (transparent huge pages are off on this system: " + setting + ")";
        }
        return "buffers and kernel scratch >= 1 MiB on transparent huge pages (system setting: " + setting
                + "; ARCHWAY_HUGEPAGES=off turns them off)";
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
        // The last, partly used huge page is advised too when at least half of it is used: it faults in
        // whole (at most 1 MiB unused). A smaller tail stays on 4 KiB pages.
        long whole = Math.max(1, bytes) / HUGE_PAGE * HUGE_PAGE;
        long tail = Math.max(1, bytes) - whole;
        long advised = tail >= HUGE_PAGE / 2 ? whole + HUGE_PAGE : whole;
        long length = Math.max(advised, roundUp(Math.max(1, bytes), SMALL_PAGE));
        // Map one huge page more than asked, keep the part from the first 2 MiB boundary, return the rest.
        long mapped = length + HUGE_PAGE;
        long base = address(call(MMAP, MemorySegment.NULL, mapped, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L));
        if (base == MAP_FAILED || base == 0) {
            throw new OutOfMemoryError("cannot map " + mapped + " bytes of host memory");
        }
        long start = roundUp(base, HUGE_PAGE);
        unmap(base, start - base);
        unmap(start + length, base + mapped - (start + length));
        // Advice only: where transparent huge pages are off the call fails and 4 KiB pages remain.
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
