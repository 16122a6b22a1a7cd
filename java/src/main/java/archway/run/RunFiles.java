package archway.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The files a run writes into its directory, and small file-system helpers they share. */
final class RunFiles {
    static final String CONFIG = "config.json";
    static final String METRICS = "metrics.jsonl";
    static final String RESULT = "result.json";
    static final String CHECKPOINT = "checkpoint.bin";
    static final String PREVIOUS = "checkpoint.prev.bin";
    static final String REJECTED = "checkpoint.rejected.bin";
    static final String HEATMAP = "alpha-heatmap.png";
    static final String REPORT = "report.html";
    /** A multi-objective search's archive by iteration (archway.report.ParetoHistory). */
    static final String PARETO_HISTORY = "pareto.json";

    /** Files whose presence means the directory holds (part of) a run. */
    static final List<String> RUN_FILES = List.of(CONFIG, METRICS, RESULT, CHECKPOINT, PREVIOUS);
    /** Everything --overwrite removes (the run files, its pictures and page, a set-aside checkpoint). */
    static final List<String> REPLACED = List.of(CONFIG, METRICS, RESULT, CHECKPOINT, PREVIOUS, REJECTED, HEATMAP, REPORT,
            PARETO_HISTORY);

    private RunFiles() {
    }

    /** Makes renames in {@code dir} durable (best effort: not every file system can fsync a directory). */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Directory fsync is an extra guarantee, not a requirement.
        }
    }
}
