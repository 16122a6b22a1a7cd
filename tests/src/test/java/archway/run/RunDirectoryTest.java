package archway.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.UserError;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories: starts, overwrite, lock within one process, stale locks, checkpoint rotation, default names. */
class RunDirectoryTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static Checkpoint ck(double epoch) {
        return new Checkpoint().putString("config", "cfg").putDoubles("progress", new double[] {epoch});
    }

    /** A directory that holds a finished one-epoch run. */
    static Path finishedRun(Path dir) {
        try (RunDirectory rd = RunDirectory.open(dir, RunStart.NEW, QUIET)) {
            rd.writeJson("config.json", Map.of("command", "train", "space", "nb201", "dataset", "d", "epochs", 1));
            rd.appendMetrics(Map.of("epoch", 1));
            rd.saveCheckpoint(ck(1));
            rd.writeJson("result.json", Map.of("ok", true));
        }
        return dir;
    }

    @Test
    void aNewRunRefusesADirectoryHoldingOneAndOverwriteSaysWhatItReplaces(@TempDir Path tmp) {
        Path dir = finishedRun(tmp.resolve("r"));
        UserError e = assertThrows(UserError.class, () -> RunDirectory.open(dir, RunStart.NEW, QUIET));
        assertTrue(e.getMessage().contains("already holds a run") && e.getMessage().contains("--overwrite")
                && e.getMessage().contains("1 of 1 epochs recorded, finished"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("result.json")));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (RunDirectory rd = RunDirectory.open(dir, RunStart.OVERWRITE, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertFalse(Files.exists(dir.resolve("result.json")));
            assertFalse(Files.exists(dir.resolve("checkpoint.bin")));
            assertTrue(rd.readMetrics().isEmpty());
        }
        String note = log.toString(StandardCharsets.UTF_8);
        assertTrue(note.contains("--overwrite: replacing the run in " + dir) && note.contains("removing config.json, "
                + "metrics.jsonl, result.json, checkpoint.bin"), note);
    }

    @Test
    void resumingNeedsACheckpoint(@TempDir Path tmp) {
        assertTrue(assertThrows(UserError.class, () -> RunDirectory.open(tmp, RunStart.RESUME, QUIET)).getMessage()
                .contains("holds no checkpoint"));
        assertTrue(assertThrows(UserError.class, () -> RunDirectory.open(tmp, RunStart.RESUME_FROM_PREVIOUS, QUIET))
                .getMessage().contains("has no checkpoint.prev.bin"));
        Path missing = tmp.resolve("missing");
        assertTrue(assertThrows(UserError.class, () -> RunDirectory.open(missing, RunStart.RESUME, QUIET)).getMessage()
                .contains("there is no run directory " + missing));
        assertFalse(Files.exists(missing), "resuming creates nothing");
    }

    @Test
    void theLockIsExclusiveWithinOneProcessAndReleasedOnClose(@TempDir Path tmp) throws Exception {
        try (RunDirectory a = RunDirectory.open(tmp, RunStart.NEW, QUIET)) {
            UserError e = assertThrows(UserError.class, () -> RunDirectory.open(tmp, RunStart.NEW, QUIET));
            assertTrue(e.getMessage().contains("in use by another run of this process (pid "
                    + ProcessHandle.current().pid()), e.getMessage());
            // The refusal must not have dropped the first holder's OS lock: still refused.
            assertThrows(UserError.class, () -> RunDirectory.open(tmp, RunStart.NEW, QUIET));
            assertTrue(Files.readString(tmp.resolve(RunLock.FILE)).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
        assertEquals("", Files.readString(tmp.resolve(RunLock.FILE)), "a clean release empties the lock file");
        RunDirectory.open(tmp, RunStart.NEW, QUIET).close();
    }

    @Test
    void aLockLeftByADeadRunIsReportedAndTakenOver(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve(RunLock.FILE), "{\"pid\":999999,\"host\":\"elsewhere\",\"started\":\"2026-01-02T03:04:05Z\"}\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (RunDirectory rd = RunDirectory.open(tmp, RunStart.NEW, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertTrue(Files.readString(tmp.resolve(RunLock.FILE)).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
        String note = log.toString(StandardCharsets.UTF_8);
        assertTrue(note.contains("stale lock") && note.contains("pid 999999 on host elsewhere, started 2026-01-02T03:04:05Z")
                && note.contains("taking it over"), note);
    }

    @Test
    void checkpointsRotateAndAResumeFallsBackOnlyWhenAsked(@TempDir Path tmp) throws Exception {
        try (RunDirectory rd = RunDirectory.open(tmp, RunStart.NEW, QUIET)) {
            rd.saveCheckpoint(ck(1));
            assertFalse(Files.exists(rd.previousCheckpoint()));
            rd.saveCheckpoint(ck(2));
            assertEquals(1.0, Checkpoint.read(rd.previousCheckpoint()).getDoubles("progress", 1)[0]);
            assertEquals(2.0, Checkpoint.read(rd.checkpoint()).getDoubles("progress", 1)[0]);
        }
        Path latest = tmp.resolve("checkpoint.bin");
        byte[] b = Files.readAllBytes(latest);
        CheckpointFormat.Span progress = CheckpointFormat.sections(b).get("progress");
        b[(int) progress.offset()] ^= 1;
        Files.write(latest, b);
        try (RunDirectory rd = RunDirectory.open(tmp, RunStart.RESUME, QUIET)) {
            UserError e = assertThrows(UserError.class, () -> rd.resumeCheckpoint("cfg"));
            assertTrue(e.getMessage().contains("section 'progress' fails its checksum")
                    && e.getMessage().contains("checkpoint.prev.bin is intact: continue from it with --resume-from-previous"),
                    e.getMessage());
        }
        try (RunDirectory rd = RunDirectory.open(tmp, RunStart.RESUME_FROM_PREVIOUS, QUIET)) {
            assertEquals(1.0, rd.resumeCheckpoint("cfg").getDoubles("progress", 1)[0]);
            assertFalse(Files.exists(latest), "the damaged latest checkpoint is set aside");
            assertArrayEquals(b, Files.readAllBytes(tmp.resolve("checkpoint.rejected.bin")));
            rd.saveCheckpoint(ck(2));
            assertEquals(1.0, Checkpoint.read(rd.previousCheckpoint()).getDoubles("progress", 1)[0]);
        }
    }

    @Test
    void aMissingLatestCheckpointResumesFromThePreviousOne(@TempDir Path tmp) throws Exception {
        try (RunDirectory rd = RunDirectory.open(tmp, RunStart.NEW, QUIET)) {
            rd.saveCheckpoint(ck(1));
            rd.saveCheckpoint(ck(2));
        }
        // A crash between the two renames of a save leaves only checkpoint.prev.bin (and a temporary file).
        Files.delete(tmp.resolve("checkpoint.bin"));
        Files.writeString(tmp.resolve("checkpoint.bin123.tmp"), "partial");
        try (RunDirectory rd = RunDirectory.open(tmp, RunStart.RESUME, QUIET)) {
            assertFalse(Files.exists(tmp.resolve("checkpoint.bin123.tmp")), "interrupted temporaries are removed");
            assertEquals(1.0, rd.resumeCheckpoint("cfg").getDoubles("progress", 1)[0]);
            UserError e = assertThrows(UserError.class, () -> rd.resumeCheckpoint("other"));
            assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
        }
    }

    @Test
    void defaultNamesNeverCollide(@TempDir Path tmp) {
        Set<Path> made = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 64).parallel().forEach(i -> made.add(RunDirectory.createDefault(tmp, "train", "nb201", "d")));
        assertEquals(64, made.size());
        for (Path p : made) {
            assertTrue(Files.isDirectory(p));
            assertTrue(p.getFileName().toString().matches("train-nb201-d-\\d{8}-\\d{6}-\\d{3}-p"
                    + ProcessHandle.current().pid() + "(-\\d+)?"), p.toString());
        }
        Path odd = RunDirectory.createDefault(tmp, "train", "nb201", "../" + "x".repeat(300));
        assertEquals(tmp.resolve("runs"), odd.getParent());
        assertTrue(odd.getFileName().toString().length() < 120);
    }

    @Test
    void metricsAreReadAndKeptInWholeLines(@TempDir Path tmp) throws Exception {
        Path m = tmp.resolve("metrics.jsonl");
        Files.writeString(m, "{\"epoch\":1}\n{\"epoch\":2}\n{\"epoch\":3,\"loss\":0.");
        RunDirectory view = new RunDirectory(tmp);
        assertEquals(List.of(Map.of("epoch", 1), Map.of("epoch", 2)), view.readMetrics());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MetricsLog ml = new MetricsLog(m);
        ml.keep(5, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals("{\"epoch\":1}\n{\"epoch\":2}\n", Files.readString(m));
        String note = log.toString(StandardCharsets.UTF_8);
        assertTrue(note.contains("ended in a partial line (" + "{\"epoch\":3,\"loss\":0.".length() + " bytes") && note.contains("holds 2 of the 5 epochs"), note);
        ml.keep(1, QUIET);
        assertEquals("{\"epoch\":1}\n", Files.readString(m));
        ml.append(Map.of("epoch", 2));
        assertEquals("{\"epoch\":1}\n{\"epoch\":2}\n", Files.readString(m));
    }
}
