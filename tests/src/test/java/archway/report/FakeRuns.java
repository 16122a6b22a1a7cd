package archway.report;

import archway.run.RunDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small run directories with known numbers, written the way the searches and the trainer write them. */
final class FakeRuns {
    private FakeRuns() {
    }

    /** Runs write into a directory that exists (RunDirectory.open creates it for real runs). */
    private static Path createDirectories(Path dir) {
        try {
            return java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A 3-epoch nb201 DARTS search; epoch e (1-based) has train_loss 2 - 0.1e, val_loss 2.1 - 0.1e. */
    static Path dartsNb201(Path dir, long seed, boolean finished) {
        RunDirectory d = new RunDirectory(createDirectories(dir));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("command", "search");
        cfg.put("space", "nb201");
        cfg.put("algo", "darts");
        cfg.put("base", "darts");
        cfg.put("dataset", "fashion-mnist-mini");
        cfg.put("epochs", 3);
        cfg.put("seed", seed);
        d.writeJson("config.json", cfg);
        for (int e = 1; e <= 3; e++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e);
            m.put("train_loss", 2 - 0.1 * e);
            m.put("train_accuracy", 10.0 * e);
            m.put("val_loss", 2.1 - 0.1 * e);
            m.put("val_accuracy", 9.0 * e);
            m.put("genotype", e < 3 ? CellGraphTest.NB201 : "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
            m.put("probabilities", rows(6, 5, e));
            d.appendMetrics(m);
        }
        if (finished) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("algo", "darts");
            r.put("genotype", "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
            r.put("nb201_cifar10_accuracy", 93.5);
            r.put("best_epoch", 3);
            r.put("search_seconds", 12.25);
            r.put("peak_rss_mb", 321.0);
            r.put("probabilities", rows(6, 5, 3));
            d.writeJson("result.json", r);
        }
        return dir;
    }

    /** A 4-epoch ZO-DARTS++ search: band from epoch 3, expected params 40k, 30k, 20k, 15k; 10 of 90 weights zero. */
    static Path zoPlusPlus(Path dir) {
        RunDirectory d = new RunDirectory(createDirectories(dir));
        d.writeJson("config.json", Map.of("command", "search", "space", "nb201", "algo", "zo-darts-pp", "dataset",
                "fashion-mnist-mini", "simplex", "sparsemax", "epochs", 4));
        double[] expected = {40_000, 30_000, 20_000, 15_000};
        for (int e = 1; e <= 4; e++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e);
            m.put("temperature", 1.5 * Math.pow(0.75, e - 1));
            m.put("train_loss", 1.0);
            m.put("val_loss", 1.1);
            m.put("expected_params", expected[e - 1]);
            if (e >= 3) {
                m.put("budget_band", List.of(10_000, 18_000));
            }
            m.put("zero_mixing_weights", 10 * e);
            m.put("mixing_weights", 90);
            d.appendMetrics(m);
        }
        d.writeJson("result.json", Map.of("derived_params", 16_500, "expected_params", 15_000.0,
                "budget_band", List.of(10_000, 18_000), "genotype",
                "s0:d1|conv_7x7~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|conv_3x3~1|nor_conv_1x1~2|;"
                        + "s1:d1|none~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|;"
                        + "s2:d2|conv_5x5~0|+|none~0|conv_5x5~1|+|none~0|none~1|none~2|"));
        return dir;
    }

    /** Uniform rows with row r's op (r + e) % k raised by 1e-3 and the next op lowered by as much. */
    static List<List<Double>> rows(int rows, int k, int e) {
        List<List<Double>> out = new java.util.ArrayList<>();
        for (int r = 0; r < rows; r++) {
            Double[] p = new Double[k];
            java.util.Arrays.fill(p, 1.0 / k);
            p[(r + e) % k] += 1e-3;
            p[(r + e + 1) % k] -= 1e-3;
            out.add(List.of(p));
        }
        return out;
    }
}
