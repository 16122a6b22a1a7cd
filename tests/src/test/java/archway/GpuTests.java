package archway;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the GPU test classes without Maven, for the device machine (no Java, no network: it gets a
 * jlink-ed runtime, the jars, the test classes and the JUnit jars in one file; see scripts/gpu-carry.sh and
 * bench/gpu/check.sh, part 4). Exit 0 when nothing failed, 1 otherwise; every skipped or aborted test is
 * printed with its reason (without a GPU: the probe's line naming what is missing).
 */
public final class GpuTests {
    private GpuTests() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass("archway.search.CudaSearchStepEquivalenceTest"),
                        selectClass("archway.backend.BackendOpsTest"), selectClass("archway.cuda.CudaPhiloxTest"),
                        selectClass("archway.backend.CudaRuntimeReductionsTest"),
                        selectClass("archway.flatnas.CudaFlatnasTrialTest"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener, new ReasonPrinter());
        TestExecutionSummary s = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printTo(out);
        s.printFailuresTo(out, 20);
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }

    /** One line per test that did not run to the end, with the reason (an assumption's message). */
    private static final class ReasonPrinter implements TestExecutionListener {
        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            System.out.println("SKIPPED " + name(test) + ": " + reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                System.out.println(result.getStatus() + " " + name(test) + ": "
                        + result.getThrowable().map(Throwable::getMessage).orElse(""));
            }
        }

        private static String name(TestIdentifier test) {
            return test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .map(m -> m.getJavaClass().getSimpleName() + "." + test.getDisplayName())
                    .orElse(test.getDisplayName());
        }
    }
}
