package archway.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * epoch), result.json, checkpoint.bin and pictures.
 */
public final class RunDirectory {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir, e);
        }
    }

    /** runs/&lt;algo&gt;-&lt;space&gt;-&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss&gt; under {@code root}. */
    public static Path defaultPath(Path root, String algo, String space, String dataset) {
        String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return root.resolve("runs").resolve(algo + "-" + space + "-" + dataset + "-" + ts);
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

    public Path checkpoint() { return dir.resolve("checkpoint.bin"); }

    /**
     * The run's checkpoint for --resume, which must have been written with exactly {@code configJson}
     * (same flags); otherwise one clear user error.
     */
    public Checkpoint resumeCheckpoint(String configJson) {
        Checkpoint ck;
        try {
            ck = Checkpoint.read(checkpoint());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint(), e);
        }
        if (!ck.getString("config").equals(configJson)) {
            throw new archway.UserError("cannot resume: " + checkpoint() + " was written by a different configuration; "
                    + "resume with the same configuration, or start a new run directory");
        }
        return ck;
    }

    public void writeJson(String name, Object value) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    /** Appends one JSON object as a line of metrics.jsonl. */
    public void appendMetrics(Map<String, Object> epoch) {
        try {
            Files.writeString(dir.resolve("metrics.jsonl"), LINE.writeValueAsString(epoch) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve("metrics.jsonl"), e);
        }
    }

    /** Keeps only the first {@code lines} lines of metrics.jsonl (resume after a kill mid-epoch). */
    public void truncateMetrics(int lines) {
        Path f = dir.resolve("metrics.jsonl");
        try {
            if (!Files.exists(f)) {
                return;
            }
            List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
            List<String> keep = new ArrayList<>(all.subList(0, Math.min(lines, all.size())));
            Files.write(f, keep, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + f, e);
        }
    }

    /** Reads metrics.jsonl as a list of maps. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> readMetrics() {
        Path f = dir.resolve("metrics.jsonl");
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(LINE.readValue(line, Map.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        return out;
    }
}
