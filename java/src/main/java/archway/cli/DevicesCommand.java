package archway.cli;

import archway.runtime.Devices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code nas devices}: what this machine offers Archway. */
@Command(name = "devices", header = "Print the CPU, its kernel ISA variant, threads, host paging and the CUDA devices.",
        mixinStandardHelpOptions = true,
        description = {"Print the CPU model, the kernel ISA variant in use (baseline, avx2, avx512), thread counts, "
                + "how large host buffers are paged (transparent huge pages), and the CUDA devices (or why there "
                + "are none)."})
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("CPU");
        System.out.println("  model:          " + cpuModel());
        System.out.println("  logical cores:  " + Runtime.getRuntime().availableProcessors());
        System.out.println("  native kernels: libarchway_cpu ABI " + Devices.cpuAbiVersion());
        System.out.println("  kernel ISA:     " + Devices.cpuFeatures() + " (ARCHWAY_ISA=baseline|avx2|avx512 forces one)");
        System.out.println("  OpenMP threads: " + Devices.cpuThreads() + " (set per run with --threads)");
        System.out.println("  host memory:    " + Devices.hostPages());
        System.out.println("CUDA");
        Devices.GpuDiscovery d = Devices.gpus();
        if (d.devices().isEmpty()) {
            System.out.println("  no CUDA devices: " + d.whyNone());
        }
        for (Devices.Gpu dev : d.devices()) {
            System.out.printf("  [%d] %s, %.1f GiB, compute capability %d.%d%n", dev.index(), dev.name(),
                    dev.totalMemoryBytes() / (double) (1L << 30), dev.major(), dev.minor());
        }
        return 0;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return System.getProperty("os.arch");
    }
}
