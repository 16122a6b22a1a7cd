package archway.report;

import archway.report.LineChart.Series;
import archway.report.LineChart.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The curves of a run, computed from its metrics.jsonl (pure; {@link LineChartPicture} draws them): loss and
 * accuracy for training and validation (test for {@code nas train}; the largest and smallest subnet for
 * {@code nas supernet train}), the share of zero mixing weights and the sparsemax temperature (ZO-DARTS+),
 * expected parameters against the budget band (ZO-DARTS++).
 */
public final class RunCharts {
    private RunCharts() {
    }

    /** Every chart the run has data for, in page order. */
    public static List<LineChart> of(RunRecord run) {
        List<LineChart> out = new ArrayList<>();
        for (LineChart c : List.of(loss(run), accuracy(run), zeroShare(run), temperature(run), expectedParams(run))) {
            if (c.hasData()) {
                out.add(c);
            }
        }
        return out;
    }

    /** The held-out split a run reports per epoch: "test" for nas train, "val" for a search. */
    static String heldOut(RunRecord run) {
        return run.isTrain() ? "test" : "val";
    }

    /** Training and held-out loss; a supernet run's training loss of its largest, smallest and random subnets. */
    public static LineChart loss(RunRecord run) {
        String h = heldOut(run);
        return new LineChart("Loss per epoch", "epoch", "cross-entropy", withData(
                line("train", run, "train_loss"), line(label(h), run, h + "_loss"),
                line("train, largest subnet", run, "train_loss_largest"),
                line("train, smallest subnet", run, "train_loss_smallest"),
                line("train, random subnets", run, "train_loss_random")));
    }

    /** Training and held-out accuracy; a supernet run's test accuracy of its largest and smallest subnet. */
    public static LineChart accuracy(RunRecord run) {
        String h = heldOut(run);
        return new LineChart("Accuracy per epoch", "epoch", "accuracy %", withData(
                line("train", run, "train_accuracy"), line(label(h), run, h + "_accuracy"),
                line("test, largest subnet", run, "largest_test_accuracy"),
                line("test, smallest subnet", run, "smallest_test_accuracy")));
    }

    /** The series that have something to draw (the others would only add legend entries). */
    private static List<Series> withData(Series... series) {
        return java.util.Arrays.stream(series).filter(Series::hasData).toList();
    }

    /** 100 x zero_mixing_weights / mixing_weights per epoch (ZO-DARTS+: sparsemax zeros skip their op). */
    public static LineChart zeroShare(RunRecord run) {
        double[] zeros = run.series("zero_mixing_weights"), all = run.series("mixing_weights");
        double[] share = new double[zeros.length == all.length ? zeros.length : 0];
        for (int e = 0; e < share.length; e++) {
            share[e] = all[e] > 0 ? 100.0 * zeros[e] / all[e] : Double.NaN;
        }
        // Softmax runs report zero zeros every epoch; the chart is for sparsemax runs.
        boolean sparse = "sparsemax".equals(run.config().get("simplex"));
        return new LineChart("Share of zero mixing weights (ops skipped)", "epoch", "% of mixing weights",
                sparse ? List.of(new Series("zero weights", epochsOf(run, share), share, Style.LINE)) : List.of());
    }

    public static LineChart temperature(RunRecord run) {
        boolean sparse = "sparsemax".equals(run.config().get("simplex"));
        return new LineChart("Sparsemax temperature", "epoch", "T",
                sparse ? List.of(line("temperature", run, "temperature")) : List.of());
    }

    /**
     * ZO-DARTS++: expected parameters per epoch, the band's lower and upper edge (from the epoch the band
     * exists) and the derived network's parameter count at the last epoch.
     */
    @SuppressWarnings("unchecked")
    public static LineChart expectedParams(RunRecord run) {
        double[] expected = run.series("expected_params");
        if (expected.length == 0) {
            return new LineChart("Expected parameters", "epoch", "parameters", List.of());
        }
        double[] x = run.epochNumbers(), lower = new double[x.length], upper = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            Object band = run.epochs().get(e).get("budget_band");
            boolean has = band instanceof List<?> l && l.size() == 2;
            lower[e] = has ? ((List<Number>) band).get(0).doubleValue() : Double.NaN;
            upper[e] = has ? ((List<Number>) band).get(1).doubleValue() : Double.NaN;
        }
        List<Series> s = new ArrayList<>(List.of(new Series("expected parameters", x, expected, Style.LINE),
                new Series("band lower", x, lower, Style.DASHED), new Series("band upper", x, upper, Style.DASHED)));
        if (run.result().get("derived_params") instanceof Number n && x.length > 0) {
            s.add(new Series("derived network", new double[] {x[x.length - 1]}, new double[] {n.doubleValue()}, Style.MARKERS));
        }
        return new LineChart("Expected parameters against the budget band", "epoch", "parameters", s);
    }

    /** One metric of several runs on one chart, each run's line named by its folder. */
    public static LineChart overlay(List<RunRecord> runs, String title, String yLabel, Function<RunRecord, String> metric) {
        List<Series> s = new ArrayList<>();
        for (RunRecord r : runs) {
            s.add(new Series(r.name(), r.epochNumbers(), padded(r.series(metric.apply(r)), r.epochs().size()), Style.LINE));
        }
        return new LineChart(title, "epoch", yLabel, s);
    }

    private static Series line(String name, RunRecord run, String key) {
        return new Series(name, run.epochNumbers(), padded(run.series(key), run.epochs().size()), Style.LINE);
    }

    /** A metric no epoch has becomes all NaN (a series with nothing to draw). */
    private static double[] padded(double[] v, int n) {
        if (v.length == n) {
            return v;
        }
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NaN);
        return out;
    }

    private static double[] epochsOf(RunRecord run, double[] values) {
        double[] x = run.epochNumbers();
        return values.length == x.length ? x : new double[values.length];
    }

    private static String label(String heldOut) {
        return "val".equals(heldOut) ? "validation" : heldOut;
    }
}
