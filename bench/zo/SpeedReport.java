import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Report of bench/zo/speed.sh: per algorithm (directory RUNS/ALGO), the search wall time, per-epoch
 * images/s and share of zero mixing weights (sparsemax; 0 for softmax algorithms), and the NAS-Bench-201
 * CIFAR-10 accuracy of the result. Writes a Markdown table and a PNG (images/s and zero share per epoch).
 *
 * Usage: java -cp java/target/archway.jar bench/zo/SpeedReport.java RUNS OUT.md OUT.png [NOTE]
 */
public class SpeedReport {
    public static void main(String[] a) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder summary = new StringBuilder("| algo | epochs | search s | mean images/s | final zero share | NB201 CIFAR-10 % |\n|---|---|---|---|---|---|\n");
        StringBuilder perEpoch = new StringBuilder("| algo | epoch | seconds | images/s | zero mixing weights | temperature |\n|---|---|---|---|---|---|\n");
        XYChart speed = new XYChartBuilder().width(900).height(400).title("images/s per epoch").xAxisTitle("epoch").yAxisTitle("images/s").build();
        XYChart zeros = new XYChartBuilder().width(900).height(400).title("share of zero mixing weights").xAxisTitle("epoch").yAxisTitle("share").build();
        zeros.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        try (var dirs = Files.list(Path.of(a[0]))) {
            for (Path d : dirs.filter(p -> Files.exists(p.resolve("metrics.jsonl"))).sorted().toList()) {
                String algo = d.getFileName().toString();
                List<Double> xs = new ArrayList<>(), ips = new ArrayList<>(), zs = new ArrayList<>();
                double secs = 0, lastZero = 0;
                for (String line : Files.readAllLines(d.resolve("metrics.jsonl"))) {
                    JsonNode m = json.readTree(line);
                    int ep = m.get("epoch").asInt();
                    double z = m.has("zero_mixing_weights") ? m.get("zero_mixing_weights").asDouble() / m.get("mixing_weights").asDouble() : 0;
                    secs += m.get("seconds").asDouble();
                    xs.add((double) ep);
                    ips.add(m.get("images_per_s").asDouble());
                    zs.add(z);
                    lastZero = z;
                    perEpoch.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f | %s |%n", algo, ep,
                            m.get("seconds").asDouble(), m.get("images_per_s").asDouble(), z,
                            m.has("temperature") ? String.format(Locale.ROOT, "%.3f", m.get("temperature").asDouble()) : "-"));
                }
                JsonNode r = Files.exists(d.resolve("result.json")) ? json.readTree(d.resolve("result.json").toFile()) : null;
                double meanIps = ips.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                summary.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.2f | %s |%n", algo, xs.size(), secs, meanIps,
                        lastZero, r != null && r.has("nb201_cifar10_accuracy") ? String.format(Locale.ROOT, "%.2f", r.get("nb201_cifar10_accuracy").asDouble()) : "-"));
                speed.addSeries(algo, xs, ips);
                zeros.addSeries(algo, xs, zs);
            }
        }
        String note = a.length > 3 ? a[3] + "\n\n" : "";
        Files.writeString(Path.of(a[1]), note + summary + "\n" + perEpoch);
        BitmapEncoder.saveBitmap(List.of(speed, zeros), 2, 1, a[2], BitmapEncoder.BitmapFormat.PNG);
    }
}
