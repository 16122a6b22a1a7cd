package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import archway.run.RunDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nas search --algo a2m --base B} end to end, in process, for every base available now. The data
 * are the first {@value #TRAIN} training images of the bundled fashion-mnist-mini, written to a temporary
 * directory and passed with --data-dir: the full mini set is 46 arch+weight steps per epoch at batch 16
 * times four bases, too slow for a unit test, while 4 steps per epoch still run every code path (arch step,
 * weight step, metrics, checkpoint, result, heatmap). The full-size runs are bench/a2m/run-experiment.sh.
 */
class A2mSearchCommandTest {
    static final int TRAIN = 128, TEST = 16;

    @TempDir
    static Path data;

    @TempDir
    Path out;

    @BeforeAll
    static void sliceMiniSet() throws IOException {
        Path mini = Path.of(System.getProperty("archway.repo.root", "."), "data", "fashion-mnist-mini");
        for (String part : List.of("train", "t10k")) {
            int n = "train".equals(part) ? TRAIN : TEST;
            slice(mini.resolve(part + "-images-idx3-ubyte.gz"), data.resolve(part + "-images-idx3-ubyte.gz"), 16, 28 * 28, n);
            slice(mini.resolve(part + "-labels-idx1-ubyte.gz"), data.resolve(part + "-labels-idx1-ubyte.gz"), 8, 1, n);
        }
    }

    /** Copies the first n records of an IDX file (header length, bytes per record), patching the count. */
    private static void slice(Path src, Path dst, int header, int record, int n) throws IOException {
        byte[] head;
        byte[] body;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(src))) {
            head = in.readNBytes(header);
            body = in.readNBytes(n * record);
        }
        assertEquals(n * record, body.length, src + " has fewer than " + n + " records");
        ByteBuffer.wrap(head).putInt(4, n);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dst))) {
            o.write(head);
            o.write(body);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts", "beta-darts", "sdarts-rs", "darts-"})
    void a2mSearchRunsOnEachBase(String base) throws IOException {
        Path dir = out.resolve("run");
        Result r = run("search", "--algo", "a2m", "--base", base, "--dataset", "fashion-mnist-mini", "--data-dir",
                data.toString(), "--epochs", "1", "--channels", "4", "--cells", "1", "--batch", "16", "--threads", "2",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("result.json")), r.err());
        JsonNode res = RunDirectory.JSON.readTree(dir.resolve("result.json").toFile());
        assertEquals("a2m", res.get("algo").asText());
        assertEquals(base, res.get("base").asText());
        assertTrue(res.get("genotype").asText().matches("(\\|[a-z_0-9]+~\\d)+\\|.*"), res.toString());
        JsonNode cfg = RunDirectory.JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals(1e-2, cfg.get("rho").asDouble(), "nb201 default rho");
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(1, metrics.size());
        JsonNode m = RunDirectory.JSON.readTree(metrics.get(0));
        assertTrue(m.get("arch_step_seconds").asDouble() > 0 && Double.isFinite(m.get("val_loss").asDouble()), metrics.get(0));
        assertTrue(r.out().contains("genotype: "), r.out());
        assertTrue(r.out().strip().endsWith("report: " + dir.resolve("report.html")), "search ends with the report: " + r.out());
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
    }
}
