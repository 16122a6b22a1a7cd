package archway.runtime;

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.HugePageMemory;
import archway.bindings.cuda.CudaLibrary;
import java.util.ArrayList;
import java.util.List;

/** What this machine offers the backends (for {@code nas devices} and benchmark reports). */
public final class Devices {
    /** One CUDA device. */
    public record Gpu(int index, String name, long totalMemoryBytes, int major, int minor) {
    }

    /** The CUDA devices found, or why there are none. */
    public record GpuDiscovery(List<Gpu> devices, String whyNone) {
    }

    private Devices() {
    }

    /** ABI version of the CPU kernel library. */
    public static int cpuAbiVersion() {
        return CpuLibrary.abiVersion();
    }

    /** SIMD features the CPU kernels were built for and use. */
    public static String cpuFeatures() {
        return CpuLibrary.features();
    }

    /** How the CPU backend's large buffers are paged (transparent huge pages, or why not). */
    public static String hostPages() {
        return HugePageMemory.status();
    }

    /** OpenMP threads of the CPU kernels now. */
    public static int cpuThreads() {
        return CpuLibrary.threads();
    }

    /** Finds CUDA devices through the driver (never throws: no driver is a reason, not an error). */
    public static GpuDiscovery gpus() {
        CudaLibrary.Discovery d = CudaLibrary.discover();
        List<Gpu> out = new ArrayList<>();
        for (CudaLibrary.Device dev : d.devices()) {
            out.add(new Gpu(dev.index(), dev.name(), dev.totalMemoryBytes(), dev.major(), dev.minor()));
        }
        return new GpuDiscovery(List.copyOf(out), d.whyNone());
    }
}
