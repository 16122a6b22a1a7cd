package archway.flatnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas search --algo flatnas}: bad input is one line and exit 2; a tiny search end to end, then resumed. */
class FlatnasSearchCommandTest {
    /** A tiny search: 3 initial candidates, one iteration of 2, 32 training and 32 test images, one noise draw. */
    static final String[] TINY = {"search", "--algo", "flatnas", "--space", "mbv3", "--params-max", "3000000",
            "--initial", "3", "--iterations", "1", "--candidates", "2", "--trial-epochs", "1", "--train-limit", "32",
            "--batch", "16", "--test-limit", "32", "--flatness-draws", "1", "--ood-limit", "2", "--threads", "1"};

    static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code base} with option {@code name} set to {@code value} (replaced where present, else added). */
    static String[] set(String[] base, String name, String value) {
        List<String> all = new ArrayList<>(List.of(base));
        int at = all.indexOf(name);
        if (at >= 0) {
            all.set(at + 1, value);
        } else {
            all.addAll(List.of(name, value));
        }
        return all.toArray(String[]::new);
    }

    static void assertUserError(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line:\n" + r.err());
    }

    @Test
    void badInputIsOneLineAndExitCode2(@TempDir Path tmp) {
        String out = tmp.resolve("run").toString();
        assertUserError("give --space mbv3", "search", "--algo", "flatnas", "--out", out);
        assertUserError("below the smallest mbv3 subnet", with(set(TINY, "--params-max", "1000"), "--out", out));
        assertUserError("--ood-members must be front or all", with(TINY, "--ood-members", "some", "--out", out));
        assertUserError("--initial >= 2", with(set(TINY, "--initial", "1"), "--out", out));
        assertUserError("--slots must be >= 1", with(TINY, "--slots", "0", "--out", out));
        assertUserError("larger than the 32 training images", with(set(TINY, "--batch", "64"), "--out", out));
        assertUserError("--alpha must be in [0, 1]", with(TINY, "--alpha", "1.5", "--out", out));
        assertUserError("runs one trial at a time", with(TINY, "--device", "cuda", "--slots", "2", "--out", out));
        assertUserError("--params-max, --trial-epochs apply to the evolutionary searches", "search", "--algo", "darts",
                "--params-max", "5", "--trial-epochs", "1", "--out", out);
        assertFalse(Files.exists(tmp.resolve("run")), "a refused run leaves no directory");
    }

    @Test
    void aTinySearchWritesItsFrontWithinTheLimitAndResumesWithoutTrainingAgain(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        CliRun first = CliRun.of(with(TINY, "--out", dir.toString()));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("Pareto front (params <= 3,000,000"), first.out());
        for (String f : List.of("config.json", "checkpoint.bin", "trials.jsonl", "metrics.jsonl", "result.json",
                "pareto.png", "pareto.json", "report.html")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.jsonl")).size(), "initial design and one iteration");
        ObjectMapper json = new ObjectMapper();
        JsonNode result = json.readTree(dir.resolve("result.json").toFile());
        int archive = result.get("archive").size();
        assertTrue(archive >= 2 && archive <= 5, "archive " + archive);
        assertTrue(result.get("front").size() >= 1);
        for (JsonNode m : result.get("front")) {
            assertTrue(m.get("params").isIntegralNumber() && m.get("params").asLong() <= 3_000_000, m.toString());
            assertTrue(m.has("mce") && m.has("mce_fog") && m.has("macs") && m.has("flatness"), m.toString());
        }
        JsonNode config = json.readTree(dir.resolve("config.json").toFile());
        assertEquals(1, config.get("flatness_draws").asInt());
        assertEquals(2, config.get("ood_limit").asInt());
        assertEquals("front", config.get("ood_members").asText());

        CliRun resumed = CliRun.of(with(TINY, "--out", dir.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming"), resumed.err());
        assertFalse(resumed.err().contains("  trial "), "a trial ran again:\n" + resumed.err());
        assertEquals(result.get("archive"), json.readTree(dir.resolve("result.json").toFile()).get("archive"));
        assertEquals(result.get("front"), json.readTree(dir.resolve("result.json").toFile()).get("front"));

        assertUserError("already holds a run (search --algo flatnas --space mbv3 --dataset fashion-mnist-mini, 1 of 1 "
                + "iterations recorded, finished)", with(TINY, "--out", dir.toString()));
        assertUserError("different configuration", with(TINY, "--out", dir.toString(), "--resume", "--alpha", "0.4"));
    }
}
