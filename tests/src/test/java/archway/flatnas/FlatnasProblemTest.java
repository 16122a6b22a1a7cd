package archway.flatnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.evo.ArchiveMember;
import archway.evo.ParetoChart;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FlatNAS's objectives against values computed by hand from the spec's formulas. */
class FlatnasProblemTest {
    private static final Mbv3GeneSpace SPACE = new Mbv3GeneSpace(List.of());
    private static final long SMALL = Mbv3Count.of(Mbv3Arch.smallest(), 1, 28, 10).params();
    private static final long LARGE = Mbv3Count.of(Mbv3Arch.largest(), 1, 28, 10).params();

    private static FlatnasProblem problem(long paramsMax) {
        return new FlatnasProblem(SPACE, 1, 28, 10, paramsMax, 0.5, new TrialBudget(1, 500), 3, Map.of("dataset", "fashion-mnist-mini"));
    }

    private static ArchiveMember member(Mbv3Arch a, double error, double flatness) {
        return new ArchiveMember(0, SPACE.encode(a), "t", Map.of(FlatnasMetrics.ERROR, error, FlatnasMetrics.FLATNESS, flatness));
    }

    @Test
    void objectiveOneWeighsErrorAndFlatnessWithTheArchiveNormaliser() {
        List<ArchiveMember> archive = List.of(member(Mbv3Arch.smallest(), 20, 2), member(Mbv3Arch.largest(), 10, 4));
        // alpha_norm = mean(err) / mean(R) = 15 / 3 = 5; f1 = 0.5 * err + 5 * 0.5 * R
        assertEquals(5.0, FlatnasProblem.alphaNorm(archive), 1e-12);
        double[][] f = problem(10_000_000).objectives(archive);
        assertEquals(0.5 * 20 + 5 * 0.5 * 2, f[0][0], 1e-12);
        assertEquals(0.5 * 10 + 5 * 0.5 * 4, f[1][0], 1e-12);
        assertEquals(SMALL, f[0][1], 0);
        assertEquals(LARGE, f[1][1], 0);
    }

    @Test
    void parametersAboveTheLimitArePenalisedAndInfeasible() {
        FlatnasProblem p = problem(SMALL + 1000);
        ArchiveMember small = member(Mbv3Arch.smallest(), 20, 2);
        ArchiveMember large = member(Mbv3Arch.largest(), 10, 4);
        assertTrue(p.feasible(small));
        assertFalse(p.feasible(large));
        assertEquals(SMALL, p.exactObjective(1, small.genes()), 0);
        assertEquals(LARGE + 1e10 * (LARGE - SMALL - 1000), p.exactObjective(1, large.genes()), 1);
        assertTrue(p.predicted(0));
        assertFalse(p.predicted(1));
    }

    @Test
    void trialsCarryTheBudgetSeedAndSettings() {
        var spec = problem(5_000_000).trial(SPACE.encode(Mbv3Arch.smallest()));
        assertEquals(FlatnasProblem.TRIAL_KIND, spec.problem());
        assertEquals(new TrialBudget(1, 500), spec.budget());
        assertEquals(3, spec.seed());
        assertEquals("fashion-mnist-mini", spec.settings().get("dataset"));
    }

    @Test
    void paretoChartIsAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("pareto.png");
        ParetoChart.write(png, "test", "params", "objective", new double[][] {{1, 3}, {2, 2}, {3, 3}}, new double[][] {{2, 2}, {1, 3}});
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(800, img.getWidth());
        assertEquals(560, img.getHeight());
    }
}
