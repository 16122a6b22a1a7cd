package archway.bench;

import archway.bindings.cpu.BatchNormDesc;
import archway.bindings.cpu.BatchNormKernels;
import archway.bindings.cpu.CpuLibrary;
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
 * Batch norm (training statistics) forward and backward on NB201 stage shapes, affine (stem, residual
 * blocks) and non-affine (search cells). Memory bound: {@code gbyte} counts x and y (forward) or x, dy
 * and dx (backward) once, though the kernels make two passes over x.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class BatchNormBench {
    /** batch x channels x size (square). */
    @Param({"64x16x32", "64x64x8"})
    public String shape;
    @Param({"false", "true"})
    public boolean affine;
    @Param({"2"})
    public int threads;

    private Arena arena;
    private BatchNormDesc d;
    private MemorySegment x, y, gamma, beta, mean, invstd, rm, rv, dy, dx, dg, db;

    @Setup(Level.Trial)
    public void setup() {
        CpuLibrary.setThreads(threads);
        String[] s = shape.split("x");
        int n = Integer.parseInt(s[0]), c = Integer.parseInt(s[1]), hw = Integer.parseInt(s[2]) * Integer.parseInt(s[2]);
        arena = Arena.ofShared();
        d = BatchNormDesc.of(arena, n, c, hw);
        x = Buffers.normal(arena, d.size(), 0);
        y = Buffers.normal(arena, d.size(), 1);
        dy = Buffers.normal(arena, d.size(), 2);
        dx = Buffers.normal(arena, d.size(), 3);
        gamma = affine ? Buffers.uniform(arena, c, 4) : MemorySegment.NULL;
        beta = affine ? Buffers.normal(arena, c, 5) : MemorySegment.NULL;
        dg = affine ? Buffers.normal(arena, c, 6) : MemorySegment.NULL;
        db = affine ? Buffers.normal(arena, c, 7) : MemorySegment.NULL;
        mean = Buffers.normal(arena, c, 8);
        invstd = Buffers.uniform(arena, c, 9);
        rm = Buffers.normal(arena, c, 10);
        rv = Buffers.uniform(arena, c, 11);
        BatchNormKernels.bnFwdTrain(d, x, gamma, beta, y, mean, invstd, rm, rv);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void forwardTrain(Work work) {
        BatchNormKernels.bnFwdTrain(d, x, gamma, beta, y, mean, invstd, rm, rv);
        work.add(0, 8.0 * d.size());
    }

    @Benchmark
    public void backward(Work work) {
        BatchNormKernels.bnBwd(d, x, dy, gamma, mean, invstd, dx, dg, db, false, false);
        work.add(0, 12.0 * d.size());
    }
}
