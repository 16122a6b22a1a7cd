package archway.cli;

import archway.data.BundledData;
import archway.landscape.LandscapeJson;
import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nas bench201 stats}: best architecture and accuracy distribution per dataset. */
@Command(name = "stats", header = "Print per-dataset statistics of the table.",
        mixinStandardHelpOptions = true,
        description = {"Per dataset: the most accurate architecture, and mean, standard deviation and percentiles "
                + "of the test accuracy over all 15,625 architectures."})
final class Bench201StatsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin
    Bench201TableOption tableOption;

    @Override
    public Integer call() {
        Nb201Table t = tableOption.load();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Nb201Dataset d : Nb201Dataset.values()) {
                int b = t.bestIndex(d);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dataset", d.id());
                m.put("bestIndex", b);
                m.put("bestArch", t.arch(b).toBenchmarkString());
                m.put("bestAccuracy", t.accuracy(d, b));
                m.put("accuracy", t.summary(d));
                rows.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("table", BundledData.describe(t.source()));
            out.put("architectures", t.size());
            out.put("isomorphismClasses", t.uniqueCount());
            out.put("datasets", rows);
            System.out.println(LandscapeJson.toJson(out));
            return 0;
        }
        System.out.printf("NAS-Bench-201 table %s: %d architectures, %d isomorphism classes%n", BundledData.describe(t.source()), t.size(), t.uniqueCount());
        System.out.printf("%-15s %6s %7s %6s %6s %6s %6s %6s %6s %6s %6s  %s%n", "dataset", "best", "acc", "mean", "std",
                "min", "p05", "p25", "median", "p75", "p95", "best architecture");
        for (Nb201Dataset d : Nb201Dataset.values()) {
            int b = t.bestIndex(d);
            AccuracySummary s = t.summary(d);
            System.out.printf("%-15s %6d %7.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f  %s%n", d.id(), b, t.accuracy(d, b),
                    s.mean(), s.std(), s.min(), s.p05(), s.p25(), s.median(), s.p75(), s.p95(), t.arch(b));
        }
        return 0;
    }
}
