import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Collapse report of bench/a2m/collapse.sh: per configuration (directory RUNS/CONFIG/seed-S) and epoch, the
 * share of parameter-free ops (skip_connect, avg_pool_3x3, none) among the 6 edges of the argmax cell and
 * the NAS-Bench-201 CIFAR-10 accuracy of that cell, mean over seeds. Writes a Markdown table and a PNG.
 *
 * Usage: java -cp java/target/archway.jar bench/a2m/CollapseReport.java RUNS OUT.md OUT.png [NOTE]
 */
public class CollapseReport {
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] a) throws IOException {
        Path runs = Path.of(a[0]);
        Map<String, List<List<double[]>>> byConfig = new LinkedHashMap<>();   // config -> seeds -> epochs {skip, pool, none, acc}
        try (var configs = Files.list(runs)) {
            for (Path c : configs.filter(Files::isDirectory).sorted().toList()) {
                List<List<double[]>> seeds = new ArrayList<>();
                try (var ss = Files.list(c)) {
                    for (Path s : ss.filter(p -> Files.exists(p.resolve("metrics.jsonl"))).sorted().toList()) {
                        List<double[]> epochs = new ArrayList<>();
                        for (String line : Files.readAllLines(s.resolve("metrics.jsonl"))) {
                            JsonNode m = JSON.readTree(line);
                            epochs.add(shares(m.get("genotype").asText(), m.path("nb201_cifar10_accuracy").asDouble(Double.NaN)));
                        }
                        seeds.add(epochs);
                    }
                }
                if (!seeds.isEmpty()) {
                    byConfig.put(c.getFileName().toString(), seeds);
                }
            }
        }
        StringBuilder md = new StringBuilder();
        if (a.length > 3) {
            md.append(a[3]).append("\n\n");
        }
        md.append("| config | seeds | epoch | skip | avg pool | none | param-free | NB201 CIFAR-10 % (mean, min-max) |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        XYChart freeChart = new XYChartBuilder().width(900).height(420).title("share of parameter-free ops in the argmax cell")
                .xAxisTitle("epoch").yAxisTitle("share").build();
        freeChart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        XYChart accChart = new XYChartBuilder().width(900).height(420).title("NAS-Bench-201 CIFAR-10 accuracy of the argmax cell")
                .xAxisTitle("epoch").yAxisTitle("%").build();
        for (var e : byConfig.entrySet()) {
            List<List<double[]>> seeds = e.getValue();
            int epochs = seeds.stream().mapToInt(List::size).min().orElse(0);
            List<Double> xs = new ArrayList<>(), free = new ArrayList<>(), acc = new ArrayList<>();
            for (int ep = 0; ep < epochs; ep++) {
                double[] mean = new double[4];
                double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                for (List<double[]> s : seeds) {
                    for (int k = 0; k < 4; k++) {
                        mean[k] += s.get(ep)[k] / seeds.size();
                    }
                    lo = Math.min(lo, s.get(ep)[3]);
                    hi = Math.max(hi, s.get(ep)[3]);
                }
                double pf = mean[0] + mean[1] + mean[2];
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f (%.2f-%.2f) |%n",
                        e.getKey(), seeds.size(), ep + 1, mean[0], mean[1], mean[2], pf, mean[3], lo, hi));
                xs.add(ep + 1.0);
                free.add(pf);
                acc.add(mean[3]);
            }
            if (!xs.isEmpty()) {
                freeChart.addSeries(e.getKey(), xs, free);
                accChart.addSeries(e.getKey(), xs, acc);
            }
        }
        Files.writeString(Path.of(a[1]), md.toString());
        BitmapEncoder.saveBitmap(List.of(freeChart, accChart), 2, 1, a[2], BitmapEncoder.BitmapFormat.PNG);
    }

    /** {skip, pool, none} shares among the 6 edges of an NB201 genotype "|op~0|+|op~0|op~1|+|...|", and acc. */
    static double[] shares(String genotype, double acc) {
        double skip = 0, pool = 0, none = 0, n = 0;
        for (String tok : genotype.split("\\|")) {
            if (!tok.contains("~")) {
                continue;
            }
            String op = tok.substring(0, tok.indexOf('~'));
            n++;
            skip += op.equals("skip_connect") ? 1 : 0;
            pool += op.equals("avg_pool_3x3") ? 1 : 0;
            none += op.equals("none") ? 1 : 0;
        }
        return new double[] {skip / n, pool / n, none / n, acc};
    }
}
