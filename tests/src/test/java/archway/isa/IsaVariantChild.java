package archway.isa;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import archway.bindings.cpu.CpuLibrary;
import java.io.PrintWriter;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Child JVM of {@link IsaVariantsTest}: started with ARCHWAY_ISA set, it prints the kernel variant the
 * library chose ({@code features}) or reruns every kernel test (but the CUDA-body equivalence check)
 * and the training determinism test under it ({@code kernels}), exiting 1 on any failure.
 */
public final class IsaVariantChild {
    private IsaVariantChild() {
    }

    public static void main(String[] args) {
        System.out.println("variant: " + CpuLibrary.features());
        if (args.length == 0 || !args[0].equals("kernels")) {
            return;
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("archway.kernels"),
                        selectMethod("archway.train.TrainerTest#sameSeedAndThreadsGiveBitIdenticalMetrics(java.nio.file.Path)"))
                // The CUDA-body equivalence checker is built for this machine and compares bit for bit
                // with the library build this machine picks (FMA contraction must match): not per variant.
                .filters(ClassNameFilter.excludeClassNamePatterns(".*HostDeviceBodiesTest"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 20);
        boolean ok = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
        System.exit(ok ? 0 : 1);
    }
}
