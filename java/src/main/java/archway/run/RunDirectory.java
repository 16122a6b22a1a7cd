package archway.run;

import archway.UserError;
import archway.data.DataFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's output folder (ARCHITECTURE.md "Run outputs"): config.json, metrics.jsonl (one object per
 * epoch), result.json, checkpoint.bin with checkpoint.prev.bin (the one before), pictures, and run.lock.
 *
 * <p>{@link #open} starts a run in it: creates the directory, locks it for the life of the run
 * ({@link RunLock}), and refuses to replace an earlier run unless asked to ({@link RunStart}). Every I/O
 * failure becomes a {@link RunIoError} (one line, path and reason) and leaves the last good checkpoint
 * in place. {@code new RunDirectory(path)} is a read-only view (metrics of a finished run).
 */
public final class RunDirectory implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

    private final Path dir;
    private final RunStart start;
    private final PrintStream log;
    private final RunLock lock;
    private final MetricsLog metrics;

    /** A view of an existing run directory for reading (no lock, creates nothing). */
    public RunDirectory(Path dir) {
        this(dir, RunStart.RESUME, SILENT, null);
    }

    private RunDirectory(Path dir, RunStart start, PrintStream log, RunLock lock) {
        this.dir = dir;
        this.start = start;
        this.log = log;
        this.lock = lock;
        this.metrics = new MetricsLog(dir.resolve(RunFiles.METRICS));
    }

    /**
     * Starts a run in {@code dir}: creates it if needed, takes its lock, and applies {@code start} (a new
     * run refuses a directory that holds one; --overwrite removes the earlier run's files and says so;
     * resuming needs a checkpoint). Close it to release the lock.
     */
    public static RunDirectory open(Path dir, RunStart start, PrintStream log) {
        if (start.resumes() && !Files.isDirectory(dir)) {
            throw new UserError("--resume: there is no run directory " + dir);
        }
        createDirectory(dir);
        RunLock lock;
        try {
            lock = RunLock.acquire(dir, log);
        } catch (IOException e) {
            throw new RunIoError(dir, "cannot lock run directory", e);
        }
        try {
            RunDirectory rd = new RunDirectory(dir, start, log, lock);
            rd.prepare();
            return rd;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void createDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RunIoError(dir, "run directory " + dir + " exists and is not a directory (a regular file?); "
                    + "choose another --out");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            Path p = dir.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            throw new RunIoError(dir, "cannot create run directory " + dir + ": " + (p == null ? "already exists" : p
                    + " is not a directory"));
        } catch (IOException e) {
            throw new RunIoError(dir, "cannot create run directory", e);
        }
    }

    /**
     * Creates a fresh directory runs/&lt;prefix&gt;-&lt;space&gt;-&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss-SSS&gt;-p&lt;pid&gt;
     * under {@code root}, atomically: a name another run took first gets a numbered suffix.
     */
    public static Path createDefault(Path root, String prefix, String space, String dataset) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        String base = safe(prefix) + "-" + safe(space) + "-" + safe(dataset) + "-" + stamp + "-p"
                + ProcessHandle.current().pid();
        Path runs = root.resolve("runs");
        try {
            Files.createDirectories(runs);
        } catch (IOException e) {
            throw new RunIoError(runs, "cannot create", e);
        }
        for (int i = 1; ; i++) {
            Path p = runs.resolve(i == 1 ? base : base + "-" + i);
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // taken by a run started in the same millisecond of this process: try the next suffix
            } catch (IOException e) {
                throw new RunIoError(p, "cannot create run directory", e);
            }
        }
    }

    /** A name part that is safe in a file name and short. */
    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.length() > 40 ? t.substring(0, 40) : t;
    }

    private void prepare() {
        removeTemporaries();
        List<String> present = present(RunFiles.RUN_FILES);
        switch (start) {
            case NEW -> {
                if (!present.isEmpty()) {
                    throw new UserError("run directory " + dir + " already holds a run (" + summary() + "); continue it "
                            + "with --resume, replace it with --overwrite, or choose another --out");
                }
            }
            case OVERWRITE -> {
                if (!present.isEmpty()) {
                    List<String> gone = present(RunFiles.REPLACED);
                    log.printf("note: --overwrite: replacing the run in %s (%s): removing %s%n", dir, summary(),
                            String.join(", ", gone));
                    for (String f : gone) {
                        delete(dir.resolve(f));
                    }
                }
            }
            case RESUME -> {
                if (!Files.exists(checkpoint()) && !Files.exists(previousCheckpoint())) {
                    throw new UserError("--resume: " + dir + " holds no checkpoint to continue from"
                            + (present.isEmpty() ? " (no run there)" : " (" + summary() + ")"));
                }
            }
            case RESUME_FROM_PREVIOUS -> {
                if (!Files.exists(previousCheckpoint())) {
                    throw new UserError("--resume-from-previous: " + dir + " has no " + RunFiles.PREVIOUS
                            + " (a run keeps the checkpoint before the latest from its second epoch on)");
                }
            }
        }
    }

    /** Temporary files of our writes a crash interrupted (never renamed into place, so never data). */
    private void removeTemporaries() {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "{" + RunFiles.CHECKPOINT + "*.tmp,*.json.tmp}")) {
            for (Path p : s) {
                delete(p);
            }
        } catch (IOException e) {
            throw new RunIoError(dir, "cannot list run directory", e);
        }
    }

    private void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new RunIoError(p, "cannot remove", e);
        }
    }

    private List<String> present(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (Files.exists(dir.resolve(n))) {
                out.add(n);
            }
        }
        return out;
    }

    /** What the earlier run in this directory was, in a few words. */
    private String summary() {
        String what;
        try {
            Map<?, ?> c = JSON.readValue(dir.resolve(RunFiles.CONFIG).toFile(), Map.class);
            what = c.get("command") + (c.containsKey("algo") ? " --algo " + c.get("algo") : "") + " --space "
                    + c.get("space") + " --dataset " + c.get("dataset") + ", " + progress(c);
        } catch (IOException | RuntimeException e) {
            what = "files " + String.join(", ", present(RunFiles.RUN_FILES));
        }
        return what + (Files.exists(dir.resolve(RunFiles.RESULT)) ? ", finished" : ", unfinished");
    }

    /** Epochs recorded, or for an evolutionary search (one metrics line for its initial design, then one per iteration) iterations. */
    private String progress(Map<?, ?> config) {
        int lines = metricLines();
        if (config.containsKey("iterations")) {
            return lines == 0 ? "initial design unfinished"
                    : (lines - 1) + " of " + config.get("iterations") + " iterations recorded";
        }
        return lines + " of " + config.get("epochs") + " epochs recorded";
    }

    private int metricLines() {
        try {
            return metrics.read().size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Pretty-printed JSON of a value (configs compared on --resume, results). */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise to JSON: " + e.getMessage(), e);
        }
    }

    public Path path() { return dir; }

    public Path file(String name) { return dir.resolve(name); }

    public Path checkpoint() { return dir.resolve(RunFiles.CHECKPOINT); }

    public Path previousCheckpoint() { return dir.resolve(RunFiles.PREVIOUS); }

    /**
     * The checkpoint to continue from (checkpoint.bin, or checkpoint.prev.bin for --resume-from-previous),
     * verified and written with exactly {@code configJson} (same flags); otherwise one clear user error.
     */
    public Checkpoint resumeCheckpoint(String configJson) {
        Path latest = checkpoint(), prev = previousCheckpoint();
        Path from;
        Checkpoint ck;
        if (start == RunStart.RESUME_FROM_PREVIOUS) {
            from = prev;
            ck = read(prev);
        } else if (Files.exists(latest)) {
            from = latest;
            try {
                ck = read(latest);
            } catch (DataFormatException e) {
                throw new UserError(e.getMessage() + "; " + previousHint());
            }
        } else {
            from = prev;
            log.printf("note: no %s (the run stopped while replacing it); continuing from %s%n", latest, prev);
            ck = read(prev);
        }
        if (!ck.getString("config").equals(configJson)) {
            throw new UserError("--resume: " + from + " was written by a different configuration; "
                    + "use the same flags or a new --out directory");
        }
        if (start == RunStart.RESUME_FROM_PREVIOUS && Files.exists(latest)) {
            Path aside = dir.resolve(RunFiles.REJECTED);
            try {
                Checkpoint.moveAtomically(latest, aside);
            } catch (IOException e) {
                throw new RunIoError(latest, "cannot set aside", e);
            }
            log.printf("note: continuing from %s; the latest checkpoint is kept as %s%n", prev, aside);
        }
        return ck;
    }

    private static Checkpoint read(Path file) {
        try {
            return Checkpoint.read(file);
        } catch (IOException e) {
            throw new RunIoError(file, "cannot read checkpoint", e);
        }
    }

    private String previousHint() {
        Path prev = previousCheckpoint();
        if (!Files.exists(prev)) {
            return "there is no " + RunFiles.PREVIOUS + " to fall back on";
        }
        try {
            read(prev);
            return prev + " is intact: continue from it with --resume-from-previous";
        } catch (RuntimeException e) {
            return prev + " is unusable too (" + e.getMessage() + ")";
        }
    }

    /**
     * Saves a checkpoint: written and synced to a temporary file, then checkpoint.bin becomes
     * checkpoint.prev.bin and the new file becomes checkpoint.bin, each by an atomic rename. A failure
     * (disk full, ...) leaves the earlier checkpoints as they were.
     */
    public void saveCheckpoint(Checkpoint ck) {
        Path latest = checkpoint();
        Path tmp;
        try {
            tmp = ck.writeTemporary(latest);
        } catch (IOException e) {
            throw new RunIoError(latest, "cannot write checkpoint " + latest + ": " + RunIoError.reason(latest, e)
                    + (Files.exists(latest) ? "; the previous checkpoint there is intact" : ""));
        }
        try {
            if (Files.exists(latest)) {
                Checkpoint.moveAtomically(latest, previousCheckpoint());
            }
            Checkpoint.moveAtomically(tmp, latest);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed on the next open
            }
            throw new RunIoError(latest, "cannot rename the new checkpoint into", e);
        }
        RunFiles.syncDirectory(dir);
    }

    /** Writes {@code name} as pretty JSON, atomically (temporary file, fsync, rename). */
    public void writeJson(String name, Object value) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(value);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Checkpoint.moveAtomically(tmp, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed on the next open
            }
            throw new RunIoError(target, "cannot write", e);
        }
    }

    /** Appends one JSON object as a whole line of metrics.jsonl. */
    public void appendMetrics(Map<String, Object> epoch) {
        metrics.append(epoch);
    }

    /**
     * Keeps only the first {@code lines} whole lines of metrics.jsonl (a resumed run rewrites the epochs
     * after its checkpoint); a partial last line left by a crash is dropped with a note.
     */
    public void truncateMetrics(int lines) {
        metrics.keep(lines, log);
    }

    /** Reads the whole lines of metrics.jsonl as a list of maps. */
    public List<Map<String, Object>> readMetrics() {
        return metrics.read();
    }

    /** Releases the directory's lock (a read-only view holds none). */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
    }
}
