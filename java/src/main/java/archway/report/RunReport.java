package archway.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code RUN_DIR/report.html}: one self-contained page (pictures inlined as data URIs, no network) with the
 * run's headline numbers, the found cell drawn as a graph, the loss/accuracy curves (and ZO-DARTS+/++
 * curves), the mixing weights over epochs, the Pareto front when the run wrote one, the per-epoch table,
 * the configuration and result.json.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    static final int CHART_W = 600, CHART_H = 360;

    private RunReport() {
    }

    /** Reads the run directory and writes its report.html; returns the page's path. */
    public static Path write(Path dir) {
        RunRecord run = RunRecord.load(dir);
        Path out = dir.resolve(FILE);
        writeAtomically(out, html(run, CellGraphPicture.Graphviz.available()));
        return out;
    }

    /** The page of a run; {@code useDot} draws cells with Graphviz (else Java2D). */
    public static String html(RunRecord run, boolean useDot) {
        StringBuilder b = new StringBuilder();
        String title = title(run);
        b.append("<h1>").append(Html.escape(title)).append("</h1>");
        b.append("<p class=sub>").append(Html.escape(run.dir().toAbsolutePath().normalize().toString())).append(" &middot; ")
                .append(Html.escape(status(run))).append("</p>");
        b.append("<div class=facts>");
        facts(run).forEach((k, v) -> b.append(Html.fact(k, Html.escape(v))));
        b.append("</div>");

        String arch = run.architecture();
        if (arch != null) {
            b.append("<h2>Found architecture</h2><p><code>").append(Html.escape(arch)).append("</code></p>");
            if (run.result().get("genotype_best_val_loss") instanceof String best && !best.isEmpty() && !best.equals(arch)) {
                b.append("<p class=sub>lowest validation loss (epoch ").append(Html.value(run.result().get("best_epoch")))
                        .append(") had <code>").append(Html.escape(best)).append("</code></p>");
            }
            // One cell per row: DARTS cells are wide, and halving them makes the op names unreadable.
            b.append(cellFigures(run.space(), arch, useDot));
        }

        List<LineChart> charts = RunCharts.of(run);
        if (!charts.isEmpty()) {
            b.append("<h2>Curves</h2><div class=grid>");
            for (LineChart c : charts) {
                b.append(chartFigure(c));
            }
            b.append("</div>");
        }

        MixingWeights mix = MixingWeights.of(run.space(), run.probabilities());
        if (!mix.blocks().isEmpty()) {
            b.append("<h2>Mixing weights over the epochs</h2><p class=sub>Each panel is one edge: rows are the candidate ops, "
                    + "columns the epochs. Red is above the uniform 1/K of the edge, blue below; the scale is the largest "
                    + "distance from 1/K in the block, so small early differences are visible. A dot marks the op with the "
                    + "largest weight in that epoch.</p>");
            for (MixingWeights.Block block : mix.blocks()) {
                b.append(guarded(block.title(), () -> Html.figure(Picture.png(block.title(), MixingWeightsPicture.draw(block)), null)));
            }
        }

        if (run.pareto() != null) {
            ParetoHistory h = run.pareto();
            b.append("<h2>Pareto front</h2><div class=grid>");
            for (LineChart c : List.of(ParetoCharts.archive(h), ParetoCharts.sizes(h))) {
                b.append(chartFigure(c));
            }
            b.append("</div>").append(frontTable(h));
        }
        if (run.result().get("front") instanceof List<?> front && !front.isEmpty()) {
            b.append("<h2>Front members</h2><p class=sub>result.json's front, one row per member (per-exit and "
                    + "per-corruption details are in result.json).</p><div class=scroll>")
                    .append(FrontMembers.table(front)).append("</div>");
        }

        if (run.isRetrain()) {
            b.append(RetrainRuns.seedTable(run));
        }

        if (!run.epochs().isEmpty()) {
            b.append(run.byIteration() ? "<h2>Per iteration</h2><div class=scroll>" : "<h2>Per epoch</h2><div class=scroll>")
                    .append(epochTable(run)).append("</div>");
            if (run.epochs().stream().anyMatch(m -> m.get("genotype") != null)) {
                b.append("<h2>Architecture per epoch</h2>").append(architectureTable(run));
            }
        }
        b.append("<h2>Configuration</h2>").append(Html.keyValues(configuration(run)));
        if (!run.result().isEmpty()) {
            b.append("<details><summary>result.json (scalar fields)</summary>").append(Html.keyValues(scalars(run.result())))
                    .append("</details>");
        }
        return Html.page(title, b.toString());
    }

    /** The configuration a page shows: config.json, or for {@code nas retrain} the recipe its trials share. */
    static Map<String, Object> configuration(RunRecord run) {
        return run.isRetrain() ? RetrainRuns.recipe(run) : run.config();
    }

    /** What stands in for a run's architecture when it has none (one line). */
    static String noArchitecture(RunRecord run) {
        if (run.result().get("front") instanceof List<?> front) {
            return "a Pareto front of " + front.size() + " architecture(s): see the run's report.html";
        }
        if (run.isSupernet()) {
            return "a supernet: every subnet of the space shares its weights";
        }
        return run.byIteration() ? "no front yet (unfinished)" : "no architecture yet";
    }

    /** "train nb201 on DATASET", "a2m + pc-darts search on darts, DATASET", "retrain nb201 on DATASET". */
    static String title(RunRecord run) {
        if (run.isRetrain()) {
            return RetrainRuns.title(run);
        }
        if (run.isTrain()) {
            return "train " + run.space() + " on " + run.config().get("dataset");
        }
        if (run.isSupernet()) {
            return "supernet train " + run.space() + " on " + run.config().get("dataset");
        }
        String base = run.config().get("base") instanceof String s && !"darts".equals(s) ? " + " + s : "";
        return run.algo() + base + " search on " + run.space() + ", " + run.config().get("dataset");
    }

    /** "finished, n epochs" or "unfinished: n of N epochs"; an evolutionary search counts its iterations. */
    static String status(RunRecord run) {
        if (run.isRetrain()) {
            return RetrainRuns.status(run);
        }
        if (run.byIteration()) {
            // Rows are iterations 0 (the initial design) to k.
            int done = run.epochs().size() - 1;
            String of = run.config().get("iterations") instanceof Number n ? " of " + n.intValue() : "";
            return run.result().isEmpty() ? "unfinished: initial design and " + done + of + " iterations"
                    : "finished: initial design and " + done + (done == 1 ? " iteration" : " iterations");
        }
        String epochs = run.config().get("epochs") instanceof Number n ? " of " + n.intValue() : "";
        int done = run.epochs().size();
        return run.result().isEmpty() ? "unfinished: " + done + epochs + " epochs"
                : "finished, " + done + (done == 1 ? " epoch" : " epochs");
    }

    /** The entries of {@code m} that are single values (lists and objects have their own sections or files). */
    static Map<String, Object> scalars(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!(v instanceof java.util.Collection<?>) && !(v instanceof Map<?, ?>) && (v == null || !v.getClass().isArray())) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The headline numbers of a run, label to formatted value, in page order (only those the run has). */
    public static Map<String, String> facts(RunRecord run) {
        Map<String, String> f = new LinkedHashMap<>();
        Map<String, Object> r = run.result();
        if (run.isRetrain()) {
            RetrainRuns.facts(run, f);
        } else if (run.isSupernet()) {
            double[] largest = run.series("largest_test_accuracy"), smallest = run.series("smallest_test_accuracy");
            put(f, "largest subnet, test accuracy", largest.length == 0 ? null : pct(largest[largest.length - 1]));
            put(f, "smallest subnet, test accuracy", smallest.length == 0 ? null : pct(smallest[smallest.length - 1]));
            put(f, "shared weights", Html.value(r.get("params")));
            put(f, "training time", secs(r.get("seconds")));
        } else if (run.byIteration()) {
            Map<String, Object> last = run.epochs().getLast();
            put(f, "archive", Html.value(last.get("archive")));
            put(f, "admissible", Html.value(last.get("admissible")));
            put(f, "hypervolume", Html.value(last.get("hypervolume")));
            put(f, "lowest error", pct(last.get("best_error")));
            put(f, "front members", r.get("front") instanceof List<?> front ? Integer.toString(front.size()) : null);
            put(f, "stopped early", r.get("stopped_early") instanceof Boolean stopped ? (stopped ? "yes" : "no") : null);
        } else if (run.isTrain()) {
            put(f, "test accuracy", pct(r.get("test_accuracy")));
            put(f, "parameters", Html.value(r.get("params")));
            put(f, "MACs per image", Html.value(r.get("macs")));
            put(f, "training time", secs(r.get("seconds")));
        } else {
            double[] val = run.series("val_accuracy");
            put(f, "validation accuracy, last epoch", val.length == 0 ? null : pct(val[val.length - 1]));
            put(f, "NAS-Bench-201 CIFAR-10", pct(r.get("nb201_cifar10_accuracy")));
            put(f, "NAS-Bench-201 CIFAR-100", pct(r.get("nb201_cifar100_accuracy")));
            put(f, "NAS-Bench-201 ImageNet16-120", pct(r.get("nb201_imagenet16-120_accuracy")));
            put(f, "expected parameters", Html.value(r.get("expected_params")));
            put(f, "derived network parameters", Html.value(r.get("derived_params")));
            if (r.get("budget_band") instanceof List<?> band && band.size() == 2) {
                put(f, "budget band", Html.value(band.get(0)) + " .. " + Html.value(band.get(1)));
            }
            put(f, "epoch of lowest validation loss", Html.value(r.get("best_epoch")));
            put(f, "search time", secs(r.get("search_seconds")));
        }
        put(f, "peak memory", r.get("peak_rss_mb") instanceof Number n ? Html.number(n.doubleValue()) + " MiB" : null);
        return f;
    }

    /** Columns of the per-epoch table: every tabular metric in order of first appearance, without the architecture. */
    static List<String> epochColumns(RunRecord run) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> m : run.epochs()) {
            m.forEach((k, v) -> {
                if (Html.tabular(v)) {
                    keys.add(k);
                }
            });
        }
        // Architectures are long: they get their own table.
        keys.remove("genotype");
        return new ArrayList<>(keys);
    }

    private static String epochTable(RunRecord run) {
        List<String> cols = epochColumns(run);
        StringBuilder b = new StringBuilder("<table><tr>");
        for (String c : cols) {
            b.append("<th>").append(Html.escape(c)).append("</th>");
        }
        b.append("</tr>");
        for (Map<String, Object> m : run.epochs()) {
            b.append("<tr>");
            for (String c : cols) {
                b.append("<td>").append(Html.value(m.get(c))).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }

    /** Epoch and architecture, one row per epoch; "same" when it did not change (shows when it moved). */
    private static String architectureTable(RunRecord run) {
        StringBuilder b = new StringBuilder("<table><tr><th>epoch</th><th class=t>architecture (argmax)</th></tr>");
        Object previous = null;
        double[] epochs = run.epochNumbers();
        for (int e = 0; e < run.epochs().size(); e++) {
            Object v = run.epochs().get(e).get("genotype");
            String cell = v == null ? "" : v.equals(previous) ? "same" : "<code>" + Html.escape(v.toString()) + "</code>";
            b.append("<tr><td>").append(Html.number(epochs[e])).append("</td><td class=t>").append(cell).append("</td></tr>");
            previous = v;
        }
        return b.append("</table>").toString();
    }

    private static String frontTable(ParetoHistory h) {
        StringBuilder b = new StringBuilder("<table><tr><th class=t>architecture on the final front</th><th>")
                .append(Html.escape(h.xName())).append("</th><th>").append(Html.escape(h.yName())).append("</th></tr>");
        for (ParetoHistory.Point p : h.finalFront()) {
            b.append("<tr><td class=t><code>").append(Html.escape(p.label())).append("</code></td><td>")
                    .append(Html.number(p.x())).append("</td><td>").append(Html.number(p.y())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    /** The figures of an architecture's cells (or a note when it cannot be drawn). */
    static String cellFigures(String space, String arch, boolean useDot) {
        return guarded("cell drawing", () -> {
            StringBuilder f = new StringBuilder();
            for (CellGraph g : CellGraph.of(space, arch)) {
                f.append(Html.figure(CellGraphPicture.render(g, useDot), null)).append("<div style=\"height:10px\"></div>");
            }
            return f.toString();
        });
    }

    static String chartFigure(LineChart c) {
        return guarded(c.title(), () -> Html.figure(Picture.png(c.title(), LineChartPicture.draw(c, CHART_W, CHART_H)), null));
    }

    /** A picture's HTML, or a one-line note when it cannot be drawn (one bad picture must not lose the page). */
    static String guarded(String what, Supplier<String> figure) {
        try {
            return figure.get();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm) {
                throw vm;
            }
            return "<p class=note>could not draw " + Html.escape(what) + ": " + Html.escape(String.valueOf(e.getMessage())) + "</p>";
        }
    }

    static void writeAtomically(Path out, String html) {
        try {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new archway.UserError("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static void put(Map<String, String> f, String label, String value) {
        if (value != null && !value.isEmpty()) {
            f.put(label, value);
        }
    }

    private static String pct(Object v) {
        return v instanceof Number n ? String.format(java.util.Locale.ROOT, "%.2f%%", n.doubleValue()) : null;
    }

    private static String secs(Object v) {
        return v instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f s", n.doubleValue()) : null;
    }
}
