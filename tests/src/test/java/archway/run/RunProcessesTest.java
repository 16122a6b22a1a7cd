package archway.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a second JVM on a locked run directory, a killed holder, two runs without --out at once. */
class RunProcessesTest {
    @Test
    void aSecondJvmIsRefusedWhileTheFirstRunsAndTakesOverAfterAKill(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        List<String> args = CliRun.train(400, dir);
        Process child = CliRun.child(args, tmp, tmp.resolve("child.log"));
        try {
            String holder = "\"pid\":" + child.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            Path lock = dir.resolve(RunLock.FILE);
            while (!(Files.exists(dir.resolve("checkpoint.bin")) && Files.readString(lock).contains(holder))
                    && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(child.isAlive() && Files.exists(dir.resolve("checkpoint.bin")),
                    "the child never got going: " + Files.readString(tmp.resolve("child.log")));
            for (List<String> second : List.of(args, CliRun.train(400, dir, "--resume"), CliRun.train(400, dir, "--overwrite"))) {
                CliRun r = CliRun.run(second);
                assertTrue(r.oneErrorLine(), r.err());
                assertTrue(r.err().contains("run directory " + dir + " is in use by another run (pid " + child.pid()
                        + " on host ") && r.err().contains(", started "), r.err());
            }
            assertTrue(child.isAlive(), "the refused runs must not disturb the holder");
        } finally {
            child.destroyForcibly().waitFor();
        }
        // SIGKILL: the OS dropped the lock, the file still names the dead holder.
        assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("\"pid\":" + child.pid()));
        // config.json holds exactly the JSON the checkpoint was written with.
        String config = Files.readString(dir.resolve("config.json"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (RunDirectory rd = RunDirectory.open(dir, RunStart.RESUME, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertTrue(rd.resumeCheckpoint(config).has("weights"));
        }
        String note = log.toString(StandardCharsets.UTF_8);
        assertTrue(note.contains("stale lock") && note.contains("pid " + child.pid()) && note.contains("taking it over"), note);
    }

    @Test
    void anOutOfMemoryErrorIsOneErrorLine(@TempDir Path tmp) throws Exception {
        // 10 MiB of heap cannot hold the dataset: the JVM throws OutOfMemoryError somewhere while loading it.
        Process p = CliRun.child(CliRun.train(1, tmp.resolve("r")), tmp, tmp.resolve("oom.log"), "-Xmx10m");
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "child did not finish");
        String log = Files.readString(tmp.resolve("oom.log"));
        assertEquals(2, p.exitValue(), log);
        List<String> lines = log.lines().toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).startsWith("error: out of memory (") && lines.get(0).contains("-Xmx"), log);
    }

    @Test
    void twoRunsStartedTogetherWithoutOutGetTheirOwnDirectories(@TempDir Path tmp) throws Exception {
        List<String> args = CliRun.train(1, null);
        Process a = CliRun.child(args, tmp, tmp.resolve("a.log")), b = CliRun.child(args, tmp, tmp.resolve("b.log"));
        assertTrue(a.waitFor(240, TimeUnit.SECONDS) && b.waitFor(240, TimeUnit.SECONDS), "children did not finish");
        assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a.log")));
        assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b.log")));
        List<Path> runs;
        try (var s = Files.list(tmp.resolve("runs"))) {
            runs = s.sorted().toList();
        }
        assertEquals(2, runs.size(), runs.toString());
        assertNotEquals(runs.get(0), runs.get(1));
        for (Path r : runs) {
            assertEquals(1, new RunDirectory(r).readMetrics().size(), r.toString());
            assertTrue(Files.exists(r.resolve("result.json")));
            assertEquals("", Files.readString(r.resolve(RunLock.FILE)), "released on exit");
        }
    }
}
