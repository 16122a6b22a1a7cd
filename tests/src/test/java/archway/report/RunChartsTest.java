package archway.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curves' data against the numbers written into metrics.jsonl. */
class RunChartsTest {
    @Test
    void lossAndAccuracyFollowTheMetrics(@TempDir Path tmp) {
        RunRecord run = RunRecord.load(FakeRuns.dartsNb201(tmp.resolve("run"), 0, true));
        LineChart loss = RunCharts.loss(run);
        assertEquals(List.of("train", "validation"), loss.series().stream().map(LineChart.Series::name).toList());
        assertArrayEquals(new double[] {1, 2, 3}, loss.series().get(0).x(), 0);
        assertArrayEquals(new double[] {1.9, 1.8, 1.7}, loss.series().get(0).y(), 1e-12);
        assertArrayEquals(new double[] {2.0, 1.9, 1.8}, loss.series().get(1).y(), 1e-12);
        assertArrayEquals(new double[] {9, 18, 27}, RunCharts.accuracy(run).series().get(1).y(), 1e-12);
        // A softmax DARTS run has neither zero weights nor a temperature.
        assertEquals(List.of("Loss per epoch", "Accuracy per epoch"), RunCharts.of(run).stream().map(LineChart::title).toList());
    }

    @Test
    void zoPlusPlusCurvesShowZerosTemperatureAndTheBand(@TempDir Path tmp) {
        RunRecord run = RunRecord.load(FakeRuns.zoPlusPlus(tmp.resolve("zo")));
        assertArrayEquals(new double[] {100.0 / 9, 200.0 / 9, 300.0 / 9, 400.0 / 9}, RunCharts.zeroShare(run).series().getFirst().y(), 1e-12);
        assertArrayEquals(new double[] {1.5, 1.125, 0.84375, 0.6328125}, RunCharts.temperature(run).series().getFirst().y(), 1e-12);
        LineChart p = RunCharts.expectedParams(run);
        assertArrayEquals(new double[] {40_000, 30_000, 20_000, 15_000}, p.series().get(0).y(), 0);
        double[] lower = p.series().get(1).y(), upper = p.series().get(2).y();
        assertTrue(Double.isNaN(lower[0]) && Double.isNaN(upper[1]), "no band before epoch 3");
        assertEquals(10_000, lower[2], 0);
        assertEquals(18_000, upper[3], 0);
        assertEquals(LineChart.Style.DASHED, p.series().get(1).style());
        LineChart.Series derived = p.series().get(3);
        assertArrayEquals(new double[] {4}, derived.x(), 0);
        assertArrayEquals(new double[] {16_500}, derived.y(), 0);
        assertFalse(RunCharts.accuracy(run).hasData(), "this run logged no accuracies: the chart is left off");
        assertEquals(4, RunCharts.of(run).size());
    }

    @Test
    void trainRunsPlotTestNotValidation(@TempDir Path tmp) {
        archway.run.RunDirectory d = new archway.run.RunDirectory(tmp);
        d.writeJson("config.json", java.util.Map.of("command", "train", "space", "nb201", "arch", "333313"));
        d.appendMetrics(java.util.Map.of("epoch", 1, "train_loss", 2.0, "test_loss", 2.5, "test_accuracy", 30.0));
        RunRecord run = RunRecord.load(tmp);
        LineChart loss = RunCharts.loss(run);
        assertEquals("test", loss.series().get(1).name());
        assertArrayEquals(new double[] {2.5}, loss.series().get(1).y(), 0);
        assertEquals("333313", run.architecture());
    }

    @Test
    void overlayNamesEachRunByItsFolder(@TempDir Path tmp) {
        RunRecord a = RunRecord.load(FakeRuns.dartsNb201(tmp.resolve("seed0"), 0, true));
        RunRecord b = RunRecord.load(FakeRuns.dartsNb201(tmp.resolve("seed1"), 1, false));
        List<LineChart> charts = CompareReport.charts(List.of(a, b));
        assertEquals(List.of("seed0", "seed1"), charts.getFirst().series().stream().map(LineChart.Series::name).toList());
        assertArrayEquals(new double[] {2.0, 1.9, 1.8}, charts.getFirst().series().get(1).y(), 1e-12);
        assertEquals(List.of("seed"), CompareReport.differingConfig(List.of(a, b)));
    }
}
