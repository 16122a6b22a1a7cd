package archway.trial;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a run's trials, one JSON line each, appended and synced as each arrives: the checkpoint a
 * killed coordinator resumes from (trials already here are not run again). A last line cut short by a kill is
 * ignored when reading.
 */
public final class TrialArchive {
    private final Path file;

    public TrialArchive(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Results by trial id, in the order they were archived; empty when there is no archive yet. */
    public Map<String, TrialResult> read() {
        Map<String, TrialResult> byId = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return byId;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            try {
                TrialResult o = TrialJson.readResult(lines.get(i));
                byId.putIfAbsent(o.id(), o);
            } catch (IllegalArgumentException e) {
                if (i < lines.size() - 1) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return byId;
    }

    /** Appends one result and syncs it to disk. */
    public synchronized void append(TrialResult o) {
        byte[] line = (TrialJson.write(o) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Drops a partial last line (left by a kill) so that appends start on a fresh line. */
    public void repair() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            byte[] all = Files.readAllBytes(file);
            int end = all.length;
            while (end > 0 && all[end - 1] != '\n') {
                end--;
            }
            if (end != all.length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + file, e);
        }
    }
}
