package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import archway.run.RunDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ZO algorithms through {@code nas search} on fashion-mnist-mini at tiny settings (C = 4, one or two
 * cells, batch 16, a few steps per epoch via --zo-max-steps), plus a resource-constrained ZO-DARTS++ run that
 * must land inside its band.
 */
class ZoSearchEndToEndTest {
    @TempDir
    Path dir;

    private static final String[] TINY = {"search", "--dataset", "fashion-mnist-mini", "--channels", "4", "--batch", "16",
            "--threads", "1", "--zo-max-steps", "10", "--zo-interval", "5"};

    private static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(TINY));
        a.addAll(List.of(extra));
        a.add("--out");
        a.add(out.toString());
        return a.toArray(new String[0]);
    }

    private static int quiet(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
            return Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static JsonNode json(Path p) throws IOException {
        return RunDirectory.JSON.readTree(p.toFile());
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(RunDirectory.JSON.readTree(line));
        }
        return out;
    }

    @Test
    void zoDartsSoftmax() throws IOException {
        Path out = dir.resolve("zo");
        assertEquals(0, quiet(args(out, "--algo", "zo-darts", "--cells", "1", "--epochs", "1")));
        JsonNode r = json(out.resolve("result.json"));
        assertTrue(r.get("genotype").asText().startsWith("|"), r.toString());
        JsonNode m = metrics(out).get(0);
        assertEquals(2, m.get("arch_updates").asInt());
        assertEquals(0, m.get("zero_mixing_weights").asInt(), "softmax has no exact zeros");
        assertTrue(m.get("images_per_s").asDouble() > 0);
        assertEquals("softmax", json(out.resolve("config.json")).get("simplex").asText());
    }

    /** 7 weight steps at R = 5: one complete window; the last partial window (2 steps) makes no update (reference). */
    @Test
    void lastPartialWindowMakesNoArchitectureUpdate() throws IOException {
        Path out = dir.resolve("partial");
        assertEquals(0, quiet("search", "--dataset", "fashion-mnist-mini", "--channels", "4", "--batch", "16",
                "--threads", "1", "--algo", "zo-darts-plus", "--cells", "1", "--epochs", "1", "--zo-max-steps", "7",
                "--zo-interval", "5", "--train-limit", "512", "--out", out.toString()));
        assertEquals(1, metrics(out).get(0).get("arch_updates").asInt());
        JsonNode cfg = json(out.resolve("config.json"));
        // The ZO weight optimiser of the reference: SGD 0.1 cosine to 0.001 with Nesterov, wd 3e-4.
        assertEquals(0.1, cfg.get("weight_lr").asDouble());
        assertEquals(0.001, cfg.get("weight_lr_min").asDouble());
        assertTrue(cfg.get("nesterov").asBoolean());
        assertEquals(3e-4, cfg.get("weight_decay").asDouble());
    }

    @Test
    void zoDartsPlusSparsemaxOneSidedAndTwoPoint() throws IOException {
        Path one = dir.resolve("plus");
        assertEquals(0, quiet(args(one, "--algo", "zo-darts-plus", "--cells", "1", "--epochs", "2", "--temp-every", "1")));
        List<JsonNode> m = metrics(one);
        assertEquals(1.5, m.get(0).get("temperature").asDouble(), 1e-12);
        assertEquals(1.125, m.get(1).get("temperature").asDouble(), 1e-12);
        Path two = dir.resolve("plus2");
        assertEquals(0, quiet(args(two, "--algo", "zo-darts-plus", "--cells", "1", "--epochs", "1",
                "--zo-estimator", "two-point", "--zo-q", "2")));
        assertEquals("two-point", json(two.resolve("config.json")).get("zo_estimator").asText());
        assertTrue(json(two.resolve("result.json")).has("genotype"));
    }

    @Test
    void zoDartsPlusPlusExpandsAndReportsBothCounts() throws IOException {
        Path out = dir.resolve("pp");
        assertEquals(0, quiet(args(out, "--algo", "zo-darts-pp", "--cells", "2", "--epochs", "2", "--expand-epoch", "1",
                "--budget", "small", "--budget-samples", "200")));
        List<JsonNode> m = metrics(out);
        assertTrue(!m.get(0).get("expanded").asBoolean() && m.get(1).get("expanded").asBoolean());
        assertEquals(0.0, m.get(0).get("penalty").asDouble(), "no penalty before --expand-epoch");
        JsonNode r = json(out.resolve("result.json"));
        assertEquals(r.get("derived_params_closed_form").asLong(), r.get("derived_params").asLong());
        assertTrue(r.get("expected_params").asDouble() > 0);
        assertEquals(0.0, r.get("budget_band").get(0).asDouble(), "small = [0, P20]");
    }

    /**
     * Band 0:8k parameters at C = 4, N = 2: the uniform supernet's expected count is far above it (checked first)
     * and the fixed parts alone are 4,822, so the band is reachable but only by moving theta. A low
     * temperature (T0 0.1: lambda = 150, near-one-hot sparsemax), a fast architecture step (Adam lr 0.2) and
     * an update every 2 weight steps let 12 updates pull P and the argmax network into the band.
     */
    @Test
    void constrainedRunLandsInsideItsBand() throws IOException {
        try (ZoSizeVariableArch sv = new ZoSizeVariableArch(4, 2, 10, 1)) {
            sv.expand();
            assertTrue(sv.expectedParams(new double[sv.size()], 0.1) > 20_000);
        }
        Path out = dir.resolve("band");
        assertEquals(0, quiet("search", "--dataset", "fashion-mnist-mini", "--channels", "4", "--cells", "2",
                "--batch", "16", "--threads", "1", "--algo", "zo-darts-pp", "--epochs", "1", "--expand-epoch", "0",
                "--zo-max-steps", "24", "--zo-interval", "2", "--temp-t0", "0.1", "--zo-arch-lr", "0.2",
                "--budget", "0:8k", "--out", out.toString()));
        JsonNode r = json(out.resolve("result.json"));
        long derived = r.get("derived_params").asLong();
        assertTrue(derived <= 8000, "derived " + derived + ", expected " + r.get("expected_params"));
        assertTrue(r.get("derived_in_band").asBoolean());
    }
}
