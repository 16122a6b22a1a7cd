package archway;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an allocation against the memory that is there before it is made, so a network or batch too
 * large for the machine is one clear error with the number it needed instead of an OutOfMemoryError or
 * the kernel's OOM killer. Native memory (parameters, activation arena) is compared with the physical
 * memory available (MemAvailable, and the cgroup limit when the process runs in one); heap arrays with
 * what the JVM's maximum heap still allows.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** Refuses a native allocation of {@code bytes} for {@code what} that cannot fit in physical memory. */
    public static void requireNative(long bytes, String what) {
        long available = availableNativeBytes();
        if (bytes > available) {
            throw new UserError(what + " would need " + size(bytes) + " (" + bytes + " bytes) of memory, but only " + size(available)
                    + " is available on this machine; use a smaller --batch, --channels or --cells");
        }
    }

    /** Refuses a heap allocation of {@code bytes} for {@code what} that the JVM's heap limit cannot hold. */
    public static void requireHeap(long bytes, String what) {
        long available = availableHeapBytes();
        if (bytes > available) {
            throw new UserError(what + " would need " + size(bytes) + " (" + bytes + " bytes) of Java heap, but the JVM allows only " + size(available)
                    + " more (maximum heap " + size(Runtime.getRuntime().maxMemory())
                    + "; raise it with ARCHWAY_JAVA_OPTS=-Xmx<size>)");
        }
    }

    /** Heap the JVM can still grow into. */
    public static long availableHeapBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Physical memory available to this process now: MemAvailable, capped by a cgroup limit. */
    public static long availableNativeBytes() {
        long available = memAvailable();
        if (available < 0) {
            var os = ManagementFactory.getOperatingSystemMXBean();
            available = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getFreeMemorySize() : Long.MAX_VALUE;
        }
        long limit = cgroupHeadroom();
        return limit >= 0 ? Math.min(available, limit) : available;
    }

    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back on the JVM's view
        }
        return -1;
    }

    /** limit - usage of the process's cgroup (v2, then v1), or -1 when there is no limit. */
    private static long cgroupHeadroom() {
        for (List<String> f : List.of(List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                List.of("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"))) {
            try {
                String max = Files.readString(Path.of(f.get(0))).trim();
                if (max.equals("max")) {
                    return -1;
                }
                long limit = Long.parseLong(max), used = Long.parseLong(Files.readString(Path.of(f.get(1))).trim());
                // cgroup v1 reports "no limit" as a huge page-rounded number
                return limit >= Long.MAX_VALUE / 4 ? -1 : Math.max(0, limit - used);
            } catch (IOException | RuntimeException e) {
                // try the next layout
            }
        }
        return -1;
    }

    /** Bytes in the largest binary unit that keeps the number readable ("1.5 GiB"). */
    public static String size(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format("%.1f %s", v, units[u]);
    }
}
