package archway.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * metrics.jsonl: one JSON object per line, appended only in whole lines. An append that fails part-way
 * (disk full) is cut back to the last whole line; a partial last line left by a crash is never read as
 * data and is dropped when a run resumes.
 */
final class MetricsLog {
    private static final ObjectMapper LINE = new ObjectMapper();

    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    /** Appends one object as one line, synced to disk; on failure the file keeps only whole lines. */
    void append(Map<String, Object> row) {
        byte[] line;
        try {
            line = (LINE.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a metrics row: " + e.getMessage(), e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long before = ch.size();
            try {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(false);
            } catch (IOException e) {
                try {
                    ch.truncate(before);
                } catch (IOException ignored) {
                    // Resume drops a partial last line anyway.
                }
                throw e;
            }
        } catch (IOException e) {
            throw new RunIoError(file, "cannot append to", e);
        }
    }

    /** The whole lines of the file (a partial last line is not data yet). */
    List<Map<String, Object>> read() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : wholeLines(bytes())) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String line) {
        try {
            return LINE.readValue(line, Map.class);
        } catch (IOException e) {
            throw new archway.data.DataFormatException(file + ": a line is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * Keeps the first {@code lines} whole lines (a resumed run rewrites the epochs after its checkpoint)
     * and drops a partial last line, saying so on {@code log}.
     */
    void keep(int lines, PrintStream log) {
        if (!Files.exists(file)) {
            return;
        }
        byte[] all = bytes();
        int end = 0, whole = 0;
        for (int i = 0; i < all.length && whole < lines; i++) {
            if (all[i] == '\n') {
                whole++;
                end = i + 1;
            }
        }
        int lastNewline = all.length;
        while (lastNewline > 0 && all[lastNewline - 1] != '\n') {
            lastNewline--;
        }
        if (lastNewline < all.length) {
            log.printf("note: %s ended in a partial line (%d bytes, an interrupted write); dropped it%n", file,
                    all.length - lastNewline);
        }
        if (whole < lines) {
            log.printf("note: %s holds %d of the %d epochs of the checkpoint (lines lost in a crash)%n", file, whole, lines);
        }
        if (end == all.length) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(false);
        } catch (IOException e) {
            throw new RunIoError(file, "cannot truncate", e);
        }
    }

    private byte[] bytes() {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new RunIoError(file, "cannot read", e);
        }
    }

    private static List<String> wholeLines(byte[] all) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }
}
