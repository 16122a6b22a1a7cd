package archway.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on runs: one error line for every user and environment error, and --resume-from-previous end to end. */
class RunCliTest {
    static final List<String> DETERMINISTIC = List.of("epoch", "lr", "train_loss", "train_accuracy", "test_loss",
            "test_accuracy");

    static List<Map<String, Object>> deterministic(Path dir) {
        List<Map<String, Object>> m = new RunDirectory(dir).readMetrics();
        m.forEach(row -> row.keySet().retainAll(DETERMINISTIC));
        return m;
    }

    @Test
    void aDamagedCheckpointIsRefusedByNameAndThePreviousOneResumesToTheSameResult(@TempDir Path tmp) throws Exception {
        Path clean = tmp.resolve("clean"), damaged = tmp.resolve("damaged");
        assertEquals(0, CliRun.run(CliRun.train(2, clean)).code());
        assertEquals(0, CliRun.run(CliRun.train(2, damaged)).code());
        Path latest = damaged.resolve("checkpoint.bin");
        byte[] b = Files.readAllBytes(latest);
        CheckpointFormat.Span w = CheckpointFormat.sections(b).get("weights");
        b[(int) (w.offset() + w.length() / 2)] ^= 0x01; // one bit of one weight
        Files.write(latest, b);

        CliRun r = CliRun.run(CliRun.train(2, damaged, "--resume"));
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("section 'weights' fails its checksum")
                && r.err().contains("checkpoint.prev.bin is intact: continue from it with --resume-from-previous"), r.err());

        r = CliRun.run(CliRun.train(2, damaged, "--resume-from-previous"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming " + damaged + " at epoch 2/2"), r.err());
        assertEquals(deterministic(clean), deterministic(damaged));
        assertEquals(2, deterministic(damaged).size());
        Map<?, ?> ra = RunDirectory.JSON.readValue(clean.resolve("result.json").toFile(), Map.class);
        Map<?, ?> rb = RunDirectory.JSON.readValue(damaged.resolve("result.json").toFile(), Map.class);
        assertEquals(ra.get("test_accuracy"), rb.get("test_accuracy"));
        assertEquals(ra.get("test_loss"), rb.get("test_loss"));
        assertTrue(Files.exists(damaged.resolve("checkpoint.rejected.bin")));
    }

    @Test
    void anEarlierRunIsNeverReplacedImplicitly(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(0, CliRun.run(CliRun.train(1, dir)).code());
        String before = Files.readString(dir.resolve("metrics.jsonl"));
        CliRun r = CliRun.run(CliRun.train(1, dir, "--seed", "6"));
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("already holds a run (train --space nb201 --dataset fashion-mnist-mini, 1 of 1 epochs "
                + "recorded, finished)"), r.err());
        assertEquals(before, Files.readString(dir.resolve("metrics.jsonl")));
        r = CliRun.run(CliRun.train(1, dir, "--seed", "6", "--overwrite"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("note: --overwrite: replacing the run in " + dir), r.err());
        assertEquals(6, ((Number) RunDirectory.JSON.readValue(dir.resolve("config.json").toFile(), Map.class).get("seed")).intValue());
        r = CliRun.run(CliRun.train(1, dir, "--overwrite", "--resume"));
        assertTrue(r.oneErrorLine() && r.err().contains("cannot be combined with --resume"), r.err());
    }

    @Test
    void badOutputPlacesAreOneErrorLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("file");
        Files.writeString(file, "keep");
        for (Path out : List.of(file, file.resolve("sub"), Path.of("/sys/archway-cli-test"))) {
            CliRun r = CliRun.run(CliRun.train(1, out));
            assertTrue(r.oneErrorLine(), r.err());
            assertTrue(r.err().contains(out.toString()), r.err());
        }
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void sizesOutsideWhatTheDataOrMemoryAllowAreUserErrors(@TempDir Path tmp) {
        Path out = tmp.resolve("r");
        record Case(List<String> args, String expect) {
        }
        List<Case> cases = List.of(
                new Case(CliRun.train(1, out, "--batch", "100000"), "--batch 100000 is larger than the 64 images"),
                new Case(CliRun.train(1, out, "--train-limit", "10"), "--batch 32 is larger than the 10 images of the training set"),
                new Case(List.of("train", "--arch", CliRun.ARCH, "--batch", "7000", "--epochs", "1", "--out", out.toString()),
                        "--batch 7000 is larger than the 6000 images of the training set of fashion-mnist-mini"),
                new Case(List.of("search", "--epochs", "1", "--channels", "4", "--cells", "1", "--batch", "16",
                        "--train-limit", "10", "--threads", "1", "--out", out.toString()),
                        "images of each half of the search split of fashion-mnist-mini-train[10] (use --batch"),
                new Case(List.of("train", "--arch", CliRun.ARCH, "--channels", "1000000", "--epochs", "1", "--threads", "1",
                        "--out", out.toString()), "the parameters of this network ("),
                new Case(CliRun.train(1, out, "--train-limit", "-1"), "--train-limit must be >= 0"));
        for (Case c : cases) {
            CliRun r = CliRun.run(c.args());
            assertTrue(r.oneErrorLine(), c.args() + ": " + r.err());
            assertTrue(r.err().contains(c.expect()), r.err());
        }
        CliRun mem = CliRun.run(cases.get(4).args());
        assertTrue(mem.err().matches("(?s)error: the parameters of this network \\(\\d+ weights and their gradients"
                + "\\) would need [0-9.]+ [PT]iB \\(\\d+ bytes\\) of memory, but only .* is available.*"), mem.err());
        assertFalse(Files.exists(out.resolve("config.json")), "refused runs write no run files");
    }

    @Test
    void flagValuesNoOneMeansAreRefused(@TempDir Path tmp) {
        Path out = tmp.resolve("r");
        Map<List<String>, String> cases = Map.of(
                List.of("--momentum", "1"), "--momentum must be in [0, 1), got 1.0",
                List.of("--momentum", "-0.1"), "--momentum must be in [0, 1)",
                List.of("--lr", "0.05", "--lr-min", "0.1"), "--lr-min must be in [0, --lr] = [0, 0.05]",
                List.of("--grad-clip", "-1"), "--grad-clip must be >= 0",
                List.of("--lr", "NaN"), "--lr must be a finite number > 0",
                List.of("--weight-decay", "-1"), "--weight-decay must be a finite number >= 0",
                List.of("--threads", "5000"), "--threads 5000 is outside 1..1024",
                List.of("--threads", "0"), "--threads 0 is outside 1..1024");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("train", "--arch", CliRun.ARCH, "--out", out.toString()));
            args.addAll(c.getKey());
            CliRun r = CliRun.run(args);
            assertTrue(r.oneErrorLine(), args + ": " + r.err());
            assertTrue(r.err().contains(c.getValue()), r.err());
        }
        assertFalse(Files.exists(out), "flags are checked before the run directory is made");
        int cores = Runtime.getRuntime().availableProcessors();
        // The warning comes with the flags; the oversized batch then stops the run before it trains.
        CliRun r = CliRun.run(CliRun.train(1, out, "--threads", String.valueOf(cores + 1), "--batch", "100000"));
        assertTrue(r.err().contains("warning: --threads " + (cores + 1) + " is more than the " + cores + " cores"), r.err());
    }

    @Test
    void longUserTextIsShortenedInErrors(@TempDir Path tmp) {
        String arch = "1".repeat(5000);
        CliRun r = CliRun.run("train", "--arch", arch, "--out", tmp.resolve("r").toString());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("...[5000 characters]..."), r.err());
        assertTrue(r.err().length() < 400, r.err());
        r = CliRun.run("train", "--arch", CliRun.ARCH, "--batch", "9".repeat(3000));
        assertTrue(r.err().contains("...[3000 characters]...") && r.err().length() < 400, r.err());
    }
}
