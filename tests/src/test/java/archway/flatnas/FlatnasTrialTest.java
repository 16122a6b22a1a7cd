package archway.flatnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.data.corrupt.Corruption;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialProblems;
import archway.trial.TrialSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The FlatNAS trial on a tiny budget (32 training images, 64 test images): a function of its spec alone, R exactly 0
 * without noise, exact counts, and the corruption benchmark trial reproducing the plain trial's error and R.
 */
class FlatnasTrialTest {
    private static final Mbv3GeneSpace SPACE = new Mbv3GeneSpace(List.of());
    private static final int[] GENES = SPACE.canonical(SPACE.sample(new SplittableRandom(3)));

    static FlatnasTrialSettings tiny(double sigma, boolean ood) {
        return new FlatnasTrialSettings("fashion-mnist-mini", null, 16, 1, 0.1, 0.9, 5e-5, 2.0, sigma, 2, 64, ood, 4, null);
    }

    static TrialSpec spec(FlatnasTrialSettings s, long seed) {
        return new TrialSpec(FlatnasTrial.PROBLEM, GENES, new TrialBudget(1, 32), seed, s.toMap());
    }

    @Test
    void theResultDependsOnTheSpecAloneAndRIsZeroWithoutNoise() throws Exception {
        FlatnasTrial trial = new FlatnasTrial();
        Map<String, Double> first = trial.evaluate(spec(tiny(0.05, false), 1));
        Map<String, Double> again = TrialProblems.builtIn().evaluate(spec(tiny(0.05, false), 1));
        assertEquals(first, again, "the same spec gives bit-identical metrics");

        Mbv3Count count = Mbv3Count.of(SPACE.decode(GENES), 1, 28, 10);
        assertEquals(count.params(), first.get(FlatnasMetrics.PARAMS), 0);
        assertEquals(count.macs(), first.get(FlatnasMetrics.MACS), 0);
        double error = first.get(FlatnasMetrics.ERROR);
        assertTrue(error >= 0 && error <= 100, "error " + error);
        // 64 test images: the error is a whole number of images
        assertEquals(0, Math.abs(error * 64 / 100 - Math.rint(error * 64 / 100)), 1e-9, "error " + error);

        Map<String, Double> noNoise = trial.evaluate(spec(tiny(0, false), 1));
        assertEquals(0.0, noNoise.get(FlatnasMetrics.FLATNESS), 0, "R at sigma 0");
        assertEquals(error, noNoise.get(FlatnasMetrics.ERROR), 0, "sigma does not change the trained network");

        Map<String, Double> otherSeed = trial.evaluate(spec(tiny(0.05, false), 2));
        assertNotEquals(first, otherSeed, "the seed changes the initial weights, the subset and the noise");
    }

    @Test
    void theCorruptionBenchmarkTrialTrainsTheSameNetworkAndAddsTheMeanCorruptionErrors() throws Exception {
        FlatnasTrial trial = new FlatnasTrial();
        Map<String, Double> plain = trial.evaluate(spec(tiny(0.05, false), 1));
        Map<String, Double> ood = trial.evaluate(spec(tiny(0.05, true), 1));
        assertEquals(plain.get(FlatnasMetrics.ERROR), ood.get(FlatnasMetrics.ERROR), 0);
        assertEquals(plain.get(FlatnasMetrics.FLATNESS), ood.get(FlatnasMetrics.FLATNESS), 0);
        double sum = 0;
        for (Corruption c : Corruption.values()) {
            double e = ood.get(FlatnasMetrics.MCE_PREFIX + c.id());
            // 4 images, 5 severities: each mean is a multiple of 100 / 20 = 5 points
            assertEquals(0, Math.abs(e / 5 - Math.rint(e / 5)), 1e-9, c.id() + " " + e);
            sum += e;
        }
        assertEquals(sum / Corruption.values().length, ood.get(FlatnasMetrics.MCE), 1e-9);
        assertTrue(ood.containsKey(FlatnasMetrics.OOD_CLEAN_ERROR));
    }

    @Test
    void aSpecNamingASupernetThatIsNotThereIsRefused() {
        TrialSpec spec = new TrialSpec(FlatnasTrial.PROBLEM, GENES, new TrialBudget(1, 32), 1,
                tiny(0.05, false).withSupernet(new SupernetRef("/nowhere", "00")).toMap());
        RuntimeException e = assertThrows(RuntimeException.class, () -> new FlatnasTrial().evaluate(spec));
        assertTrue(e.getMessage().contains("supernet"), e.getMessage());
    }

    @Test
    void aCandidateFromASupernetStartsFromItsSlicesWithRecalibratedStatistics() throws Exception {
        // Reference: the supernet's own subnet path (SliceMap + pullWeights), independent of copyWeights.
        archway.spaces.mbv3.Mbv3Arch arch = SPACE.decode(GENES);
        var data = archway.data.Datasets.load("fashion-mnist-mini", null);
        var stats = archway.data.ChannelStats.of(data.train());
        int[] images = archway.data.Subsets.random(data.train().size(), 64, 5);
        try (archway.supernet.Mbv3Supernet supernet = archway.supernet.Mbv3Supernet.create(1, 28, 10, 11);
             archway.supernet.Subnet reference = supernet.subnet(arch);
             archway.nn.Network candidate = new archway.nn.Network(
                     archway.spaces.mbv3.Mbv3Network.discrete(arch, 10), 1, 28, 28, 99)) {
            var p = candidate.params();
            int n = Math.toIntExact(p.flatLength(archway.graph.ValueKind.WEIGHT));
            float[] before = new float[n];
            p.weights().read(0, before);
            float[] stateBefore = new float[Math.toIntExact(p.flatLength(archway.graph.ValueKind.STATE))];
            p.state().read(0, stateBefore);
            new SupernetStart(supernet).apply(arch, candidate, new InitialWeights.Calibration(data.train(), images, stats, 16));
            float[] after = new float[n];
            p.weights().read(0, after);
            float[] expected = new float[n];
            reference.network().params().weights().read(0, expected);
            assertTrue(java.util.Arrays.equals(expected, after), "candidate weights are the supernet's slices");
            assertTrue(!java.util.Arrays.equals(before, after), "the seeded initialisation was replaced");
            float[] stateAfter = new float[stateBefore.length];
            p.state().read(0, stateAfter);
            assertTrue(!java.util.Arrays.equals(stateBefore, stateAfter), "batch-norm statistics were recalibrated");
        }
    }

    @Test
    void initialWeightsComeFromTheStrategyGiven() throws Exception {
        // A strategy that zeroes every weight: multiplicative noise leaves zero weights at zero, so R is exactly 0
        // at any sigma (no training: 0 epochs).
        Mbv3Arch[] seen = new Mbv3Arch[1];
        Map<String, Double> zero = new FlatnasTrial(spec -> (arch, net, calibration) -> {
            seen[0] = arch;
            var p = net.params();
            p.flat().fill(p.weights(), p.flatLength(archway.graph.ValueKind.WEIGHT), 0f);
        }).evaluate(new TrialSpec(FlatnasTrial.PROBLEM, GENES, new TrialBudget(0, 32), 1, tiny(0.5, false).toMap()));
        assertEquals(SPACE.decode(GENES), seen[0]);
        assertEquals(0.0, zero.get(FlatnasMetrics.FLATNESS), 0);
    }
}
