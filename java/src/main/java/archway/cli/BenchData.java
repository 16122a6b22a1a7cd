package archway.cli;

import archway.run.RunDirectory;
import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Random batches and JSON output shared by the {@code nas bench} harnesses. */
final class BenchData {
    /** Philox purposes of the benchmarks' random data (distinct from the engine's). */
    static final int PURPOSE_IMAGES = 901, PURPOSE_LABELS = 902;

    private BenchData() {
    }

    /** N(0, 1) values of {@code floats} elements, stream (seed, images, step). */
    static Buffer images(Backend backend, BufferArena arena, long floats, long seed, int step) {
        Buffer b = arena.allocate(floats);
        backend.flat().normal(b, floats, seed, PURPOSE_IMAGES, step);
        return b;
    }

    /** {@code batch} labels uniform in [0, classes), stream (seed, labels, step). */
    static Buffer labels(Backend backend, BufferArena arena, int batch, int classes, long seed, int step) {
        Buffer labels = arena.allocate(batch);
        float[] u = backend.uniformToHost(batch, seed, PURPOSE_LABELS, step);
        for (int j = 0; j < batch; j++) {
            labels.setInt(j, Math.min(classes - 1, Math.max(0, (int) (u[j] * classes))));
        }
        return labels;
    }

    /** Prints the result as one JSON object, and writes it to {@code out} too when given. */
    static void emit(Map<String, Object> r, Path out) {
        try {
            String text = RunDirectory.JSON.writeValueAsString(r);
            if (out != null) {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(out, text + System.lineSeparator());
            }
            System.out.println(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
