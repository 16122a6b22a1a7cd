package archway.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code nas retrain} run's page shows beyond the common parts: the accuracy over the seeds, one row per
 * seed, and the recipe the trials share (config.json lists every trial in full; the page shows it once).
 */
final class RetrainRuns {
    private RetrainRuns() {
    }

    static String title(RunRecord run) {
        return "retrain " + run.space() + " on " + run.trialSettings().getOrDefault("dataset", "?");
    }

    /** "finished: n of N seeds trained" (failed ones named), or "unfinished" before result.json exists. */
    static String status(RunRecord run) {
        int seeds = run.config().get("trials") instanceof List<?> t ? t.size() : 0;
        if (run.result().isEmpty()) {
            return "unfinished: " + seeds + " seeds (trials.jsonl holds those done)";
        }
        Object trained = run.result().get("trained"), failed = run.result().get("failed");
        return "finished: " + Html.text(trained) + " of " + seeds + " seeds trained"
                + (failed instanceof Number n && n.intValue() > 0 ? ", " + n.intValue() + " failed" : "");
    }

    static void facts(RunRecord run, Map<String, String> f) {
        Map<String, Object> r = run.result();
        if (r.get("test_accuracy_mean") instanceof Number mean && !Double.isNaN(mean.doubleValue())) {
            String std = r.get("test_accuracy_std") instanceof Number s ? String.format(Locale.ROOT, " +- %.2f", s.doubleValue()) : "";
            f.put("test accuracy (mean over seeds)", String.format(Locale.ROOT, "%.2f%%", mean.doubleValue()) + std);
        }
        if (r.get("params") != null) {
            f.put("parameters", Html.value(r.get("params")));
        }
        if (r.get("macs") != null) {
            f.put("MACs per image", Html.value(r.get("macs")));
        }
    }

    /** One row per seed: its test accuracy and loss, or why it has none. */
    static String seedTable(RunRecord run) {
        if (!(run.result().get("seeds") instanceof List<?> seeds) || seeds.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h2>Per seed</h2><table><tr><th>seed</th><th>test accuracy %</th>"
                + "<th>test loss</th><th class=t>trial</th></tr>");
        for (Object o : seeds) {
            Map<?, ?> m = o instanceof Map<?, ?> map ? map : Map.of();
            String trial = m.get("trial") == null ? "" : String.valueOf(m.get("trial"));
            String id = trial.substring(0, Math.min(12, trial.length()));
            b.append("<tr><td>").append(Html.value(m.get("seed"))).append("</td>");
            if (m.get("error") != null) {
                b.append("<td colspan=2 class=t>").append(Html.value(m.get("error"))).append("</td>");
            } else {
                b.append("<td>").append(Html.value(m.get("test_accuracy"))).append("</td><td>")
                        .append(Html.value(m.get("test_loss"))).append("</td>");
            }
            b.append("<td class=t><code>").append(Html.escape(id)).append("</code></td></tr>");
        }
        return b.append("</table>").toString();
    }

    /**
     * A trial setting as the value it stands for: trial specs carry every setting as text ("0.1", "true"), while
     * other runs' config.json has numbers and booleans, and a comparison of runs must see the same values as equal.
     */
    static Object typed(Object v) {
        if (!(v instanceof String s)) {
            return v;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        if (s.matches("-?\\d{1,18}")) {
            long n = Long.parseLong(s);
            return n == (int) n ? (Object) (int) n : (Object) n;  // as JSON readers give numbers back
        }
        if (s.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return Double.parseDouble(s);
        }
        return s;
    }

    /** The recipe the trials share, their epochs and training-image limit, and the seeds. */
    static Map<String, Object> recipe(RunRecord run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", "retrain");
        run.trialSettings().forEach((k, v) -> out.put(k, k.equals("arch") ? v : typed(v)));  // "333313" is an arch
        List<Object> seeds = new ArrayList<>();
        if (run.config().get("trials") instanceof List<?> trials) {
            for (Object t : trials) {
                if (t instanceof Map<?, ?> m) {
                    seeds.add(m.get("seed"));
                    if (seeds.size() == 1 && m.get("budget") instanceof Map<?, ?> budget) {
                        out.put("epochs", budget.get("epochs"));
                        out.put("train_limit", budget.get("trainLimit"));
                    }
                }
            }
        }
        out.put("seeds", String.join(", ", seeds.stream().map(String::valueOf).toList()));
        run.config().forEach((k, v) -> {
            if (!k.equals("trials") && !k.equals("command")) {
                out.put(k, v);  // e.g. the device
            }
        });
        return out;
    }
}
