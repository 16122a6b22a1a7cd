package archway.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One page comparing several runs (e.g. the seeds of an experiment): their results side by side, the
 * configuration fields that differ, loss and accuracy curves overlaid, and each run's found cell.
 */
public final class CompareReport {
    private CompareReport() {
    }

    /** Reads every run directory and writes the page to {@code out}; returns {@code out}. */
    public static Path write(List<Path> dirs, Path out) {
        List<RunRecord> runs = dirs.stream().map(RunRecord::load).toList();
        RunReport.writeAtomically(out, html(runs, CellGraphPicture.Graphviz.available()));
        return out;
    }

    /** The overlaid curves: held-out loss and accuracy, then training loss and accuracy. */
    public static List<LineChart> charts(List<RunRecord> runs) {
        Function<RunRecord, String> heldOut = RunCharts::heldOut;
        return List.of(
                RunCharts.overlay(runs, "Validation / test loss", "cross-entropy", r -> heldOut.apply(r) + "_loss"),
                RunCharts.overlay(runs, "Validation / test accuracy", "accuracy %", r -> heldOut.apply(r) + "_accuracy"),
                RunCharts.overlay(runs, "Training loss", "cross-entropy", r -> "train_loss"),
                RunCharts.overlay(runs, "Training accuracy", "accuracy %", r -> "train_accuracy"));
    }

    /** Configuration keys whose values are not the same in every run (run_dir/out excluded: always differ). */
    public static List<String> differingConfig(List<RunRecord> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(RunReport.configuration(r).keySet()));
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (k.equals("out") || k.equals("run_dir")) {
                continue;
            }
            Object first = RunReport.configuration(runs.getFirst()).get(k);
            if (runs.stream().anyMatch(r -> !java.util.Objects.equals(RunReport.configuration(r).get(k), first))) {
                out.add(k);
            }
        }
        return out;
    }

    static String html(List<RunRecord> runs, boolean useDot) {
        StringBuilder b = new StringBuilder("<h1>Comparison of " + runs.size() + " runs</h1><p class=sub>");
        for (RunRecord r : runs) {
            b.append(Html.escape(r.dir().toAbsolutePath().normalize().toString())).append("<br>");
        }
        b.append("</p><h2>Results side by side</h2><div class=scroll><table><tr><th class=t></th>");
        for (RunRecord r : runs) {
            b.append("<th>").append(Html.escape(r.name())).append("</th>");
        }
        b.append("</tr>");
        row(b, "status", runs, RunReport::status);
        Set<String> factLabels = new LinkedHashSet<>();
        runs.forEach(r -> factLabels.addAll(RunReport.facts(r).keySet()));
        for (String label : factLabels) {
            row(b, label, runs, r -> RunReport.facts(r).getOrDefault(label, ""));
        }
        for (String k : differingConfig(runs)) {
            row(b, "config: " + k, runs, r -> Html.text(RunReport.configuration(r).get(k)));
        }
        b.append("</table></div>");
        if (differingConfig(runs).isEmpty()) {
            b.append("<p class=sub>All runs have the same configuration.</p>");
        }
        List<LineChart> curves = charts(runs).stream().filter(LineChart::hasData).toList();
        if (!curves.isEmpty()) {
            b.append("<h2>Curves</h2><div class=grid>");
            curves.forEach(c -> b.append(RunReport.chartFigure(c)));
            b.append("</div>");
        }
        b.append("<h2>Found cells</h2>");
        for (RunRecord r : runs) {
            String arch = r.architecture();
            b.append("<h3>").append(Html.escape(r.name())).append("</h3>");
            if (arch == null) {
                b.append("<p class=note>").append(Html.escape(RunReport.noArchitecture(r))).append("</p>");
                continue;
            }
            b.append("<p><code>").append(Html.escape(arch)).append("</code></p>");
            b.append(RunReport.cellFigures(r.space(), arch, useDot));
        }
        return Html.page("Comparison of " + runs.size() + " runs", b.toString());
    }

    private static void row(StringBuilder b, String label, List<RunRecord> runs, Function<RunRecord, String> cell) {
        b.append("<tr><th class=t>").append(Html.escape(label)).append("</th>");
        for (RunRecord r : runs) {
            String v = cell.apply(r);
            b.append("<td>").append(v.length() > 24 ? "<code>" + Html.escape(v) + "</code>" : Html.escape(v)).append("</td>");
        }
        b.append("</tr>");
    }
}
