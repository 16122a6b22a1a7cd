package archway.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I/O failures on a run directory are one RunIoError naming the path and the reason, and leave the last
 * checkpoint as it was. Tests run as root here, so file modes cannot make a place unwritable: these use
 * places the kernel refuses (a file as parent, /sys, a read-only or full tmpfs).
 */
class RunIoTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aRegularFileOrAFileAsParentIsNotARunDirectory(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("file");
        Files.writeString(file, "keep me");
        RunIoError e = assertThrows(RunIoError.class, () -> RunDirectory.open(file, RunStart.NEW, QUIET));
        assertTrue(e.getMessage().contains(file + " exists and is not a directory"), e.getMessage());
        e = assertThrows(RunIoError.class, () -> RunDirectory.open(file.resolve("sub"), RunStart.NEW, QUIET));
        assertTrue(e.getMessage().startsWith("cannot create run directory " + file.resolve("sub"))
                && e.getMessage().contains("not a directory"), e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void aPlaceTheKernelRefusesIsOneError() {
        Path sys = Path.of("/sys/archway-run-test");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys")), "no /sys on this system");
        RunIoError e = assertThrows(RunIoError.class, () -> RunDirectory.open(sys, RunStart.NEW, QUIET));
        assertTrue(e.getMessage().startsWith("cannot create run directory " + sys + ": "), e.getMessage());
    }

    @Test
    void aReadOnlyFileSystemIsOneError(@TempDir Path tmp) throws Exception {
        Path ro = tmp.resolve("ro");
        Files.createDirectories(ro);
        mount(ro, "ro,size=64k");
        try {
            RunIoError e = assertThrows(RunIoError.class, () -> RunDirectory.open(ro, RunStart.NEW, QUIET));
            assertTrue(e.getMessage().equals("cannot lock run directory " + ro + ": read-only file system ("
                    + ro.resolve(RunLock.FILE) + ")"), e.getMessage());
            e = assertThrows(RunIoError.class, () -> RunDirectory.open(ro.resolve("sub"), RunStart.NEW, QUIET));
            assertTrue(e.getMessage().contains("read-only file system"), e.getMessage());
        } finally {
            unmount(ro);
        }
    }

    @Test
    void aFullDiskLeavesThePreviousCheckpointAndWholeMetricsLines(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("full");
        Files.createDirectories(dir);
        mount(dir, "size=256k");
        try (BufferArena arena = Backends.standard().arena()) {
            try (RunDirectory rd = RunDirectory.open(dir, RunStart.NEW, QUIET)) {
                rd.appendMetrics(Map.of("epoch", 1));
                rd.saveCheckpoint(new Checkpoint().putString("config", "c").putDoubles("progress", new double[] {1}));
                byte[] before = Files.readAllBytes(rd.checkpoint());
                Buffer big = arena.allocate((1 << 20) / Float.BYTES);
                RunIoError e = assertThrows(RunIoError.class, () -> rd.saveCheckpoint(new Checkpoint()
                        .putString("config", "c").putFloats("weights", big, (1 << 20) / Float.BYTES)));
                assertEquals("cannot write checkpoint " + rd.checkpoint() + ": no space left on device; "
                        + "the previous checkpoint there is intact", e.getMessage());
                assertArrayEquals(before, Files.readAllBytes(rd.checkpoint()));
                try (var s = Files.list(dir)) {
                    assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".tmp")).toList());
                }
                fill(dir.resolve("filler"));
                e = assertThrows(RunIoError.class, () -> rd.appendMetrics(Map.of("epoch", 2, "text", "x".repeat(8192))));
                assertTrue(e.getMessage().startsWith("cannot append to " + dir.resolve("metrics.jsonl") + ": no space left"),
                        e.getMessage());
                assertEquals("{\"epoch\":1}\n", Files.readString(dir.resolve("metrics.jsonl")));
                assertEquals(List.of(Map.of("epoch", 1)), rd.readMetrics());
                e = assertThrows(RunIoError.class, () -> rd.writeJson("result.json", Map.of("x", "y".repeat(8192))));
                assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("result.json") + ": no space left"),
                        e.getMessage());
                assertArrayEquals(before, Files.readAllBytes(rd.checkpoint()));
            }
        } finally {
            unmount(dir);
        }
    }

    /** Writes zeros until the file system is full. */
    private static void fill(Path f) {
        try (OutputStream o = Files.newOutputStream(f)) {
            byte[] block = new byte[4096];
            while (true) {
                o.write(block);
            }
        } catch (IOException expected) {
            // full
        }
    }

    /** Mounts a tmpfs, or skips the test visibly where this process may not mount. */
    static void mount(Path at, String options) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs mounts need Linux");
        Process p;
        try {
            p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no mount command here: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a small tmpfs here (needs permission to mount): " + out);
    }

    static void unmount(Path at) throws Exception {
        new ProcessBuilder("umount", at.toString()).inheritIO().start().waitFor();
    }
}
