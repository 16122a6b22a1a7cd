package archway.flatnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.DeviceChoice;
import archway.runtime.cuda.CudaProbe;
import archway.spaces.mbv3.Mbv3Count;
import archway.trial.DeviceBoundEvaluator;
import archway.trial.LocalTrialRunner;
import archway.trial.TrialResult;
import archway.trial.TrialSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A FlatNAS trial on the GPU, run as {@code nas search --algo flatnas --device cuda} runs it: on a trial runner's
 * thread, not the one that opened the backend. It must keep what {@link FlatnasTrialTest} checks on the CPU: the
 * same spec gives the same metrics, exact counts, an error that is a whole number of test images, R exactly 0
 * without noise and the trained network unchanged by sigma. Skipped, with the probe's reason, without a GPU.
 */
class CudaFlatnasTrialTest {
    @AfterEach
    void backToCpu() {
        Backends.reset();
    }

    private static List<TrialResult> run(Backend cuda, TrialSpec... specs) throws Exception {
        try (LocalTrialRunner runner = new LocalTrialRunner(new DeviceBoundEvaluator(new FlatnasTrial(), cuda), 1)) {
            List<TrialResult> results = runner.runAll(List.of(specs));
            for (TrialResult r : results) {
                assertEquals(TrialResult.Status.OK, r.status(), r.error());
            }
            return results;
        }
    }

    @Test
    void aTrialOnTheGpuIsRepeatableAndKeepsTheTrialsInvariants() throws Exception {
        Optional<String> why = CudaProbe.whyUnavailable(0);
        assumeTrue(why.isEmpty(), () -> "no CUDA device: " + why.orElse(""));
        Backend cuda = Backends.select(new DeviceChoice(DeviceChoice.Kind.CUDA, 0));
        TrialSpec noisy = FlatnasTrialTest.spec(FlatnasTrialTest.tiny(0.05, false), 1);
        TrialSpec quiet = FlatnasTrialTest.spec(FlatnasTrialTest.tiny(0, false), 1);
        List<TrialResult> first = run(cuda, noisy, quiet);
        List<TrialResult> again = run(cuda, noisy);

        Map<String, Double> m = first.get(0).metrics();
        assertEquals(m, again.get(0).metrics(), "the same spec on the same device gives the same metrics");
        Mbv3Count count = Mbv3Count.of(new archway.spaces.mbv3.Mbv3GeneSpace(List.of()).decode(noisy.genes()), 1, 28, 10);
        assertEquals(count.params(), m.get(FlatnasMetrics.PARAMS), 0);
        assertEquals(count.macs(), m.get(FlatnasMetrics.MACS), 0);
        double error = m.get(FlatnasMetrics.ERROR);
        assertTrue(error >= 0 && error <= 100, "error " + error);
        assertEquals(0, Math.abs(error * 64 / 100 - Math.rint(error * 64 / 100)), 1e-9, "error " + error);
        double r = m.get(FlatnasMetrics.FLATNESS);
        assertTrue(Double.isFinite(r) && r >= 0, "R " + r);

        Map<String, Double> noNoise = first.get(1).metrics();
        assertEquals(0.0, noNoise.get(FlatnasMetrics.FLATNESS), 0, "R at sigma 0");
        assertEquals(error, noNoise.get(FlatnasMetrics.ERROR), 0, "sigma does not change the trained network");
    }
}
