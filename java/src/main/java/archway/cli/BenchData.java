package archway.cli;

import archway.bindings.cpu.RandomKernels;
import archway.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Random batches and JSON output shared by the {@code nas bench} harnesses. */
final class BenchData {
    /** Philox purposes of the benchmarks' random data (distinct from the engine's). */
    static final int PURPOSE_IMAGES = 901, PURPOSE_LABELS = 902;

    private BenchData() {
    }

    /** N(0, 1) images of {@code floats} floats, stream (seed, images, step). */
    static MemorySegment images(Arena arena, long floats, long seed, int step) {
        MemorySegment s = arena.allocate(floats * Float.BYTES, 64);
        RandomKernels.normal(s, floats, seed, PURPOSE_IMAGES, step);
        return s;
    }

    /** {@code batch} labels uniform in [0, classes), stream (seed, labels, step). */
    static MemorySegment labels(Arena arena, int batch, int classes, long seed, int step) {
        MemorySegment u = arena.allocate((long) batch * Float.BYTES, 64);
        MemorySegment labels = arena.allocate((long) batch * Integer.BYTES, 64);
        RandomKernels.uniform(u, batch, seed, PURPOSE_LABELS, step);
        for (int j = 0; j < batch; j++) {
            int y = (int) (u.getAtIndex(ValueLayout.JAVA_FLOAT, j) * classes);
            labels.setAtIndex(ValueLayout.JAVA_INT, j, Math.min(classes - 1, Math.max(0, y)));
        }
        return labels;
    }

    /** Prints the result as one JSON line, and writes it to {@code out} too when given. */
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
