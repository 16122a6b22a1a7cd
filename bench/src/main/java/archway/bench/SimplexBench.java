package archway.bench;

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.SimplexKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row-wise sparsemax and softmax (forward and backward) on architecture-parameter shapes: NB201 (6 x 5),
 * the DARTS cell pair (28 x 8) and a large synthetic block (4096 x 8) where bandwidth shows.
 * {@code gbyte} counts input + output once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SimplexBench {
    /** rows x cols. */
    @Param({"6x5", "28x8", "4096x8"})
    public String shape;
    @Param({"1"})
    public int threads;

    private Arena arena;
    private int rows, cols;
    private MemorySegment x, y, dy, dx;

    @Setup(Level.Trial)
    public void setup() {
        CpuLibrary.setThreads(threads);
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        long n = (long) rows * cols;
        x = Buffers.normal(arena, n, 0);
        y = Buffers.normal(arena, n, 1);
        dy = Buffers.normal(arena, n, 2);
        dx = Buffers.normal(arena, n, 3);
        SimplexKernels.sparsemaxRowsFwd(x, y, rows, cols, 1f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private double bytes(int tensors) {
        return 4.0 * tensors * rows * cols;
    }

    @Benchmark
    public void sparsemaxForward(Work work) {
        SimplexKernels.sparsemaxRowsFwd(x, y, rows, cols, 1f);
        work.add(0, bytes(2));
    }

    @Benchmark
    public void sparsemaxBackward(Work work) {
        SimplexKernels.sparsemaxRowsBwd(y, dy, dx, rows, cols, 1f, false);
        work.add(0, bytes(3));
    }

    @Benchmark
    public void softmaxForward(Work work) {
        SimplexKernels.softmaxRowsFwd(x, y, rows, cols, 1f);
        work.add(0, bytes(2));
    }

    @Benchmark
    public void softmaxBackward(Work work) {
        SimplexKernels.softmaxRowsBwd(y, dy, dx, rows, cols, 1f, false);
        work.add(0, bytes(3));
    }
}
