package archway.bench;

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.MixedOpKernels;
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
 * The fused DARTS mixed edge over the NB201 candidate set (none + 4 tensors) at a stage-1 activation
 * size (batch x 16 x 32 x 32): forward y = sum w_k x_k, and backward for a weight step (dx_k only) and
 * an arch step (dw only, the K dot products). Memory bound: {@code gbyte} counts each tensor once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class MixedOpBench {
    @Param({"1048576"})
    public long n;
    @Param({"2"})
    public int threads;

    private static final int K = 5;
    private static final int ACTIVE = 4;
    private Arena arena;
    private MemorySegment xs, dxs, w, dw, y, dy;

    @Setup(Level.Trial)
    public void setup() {
        CpuLibrary.setThreads(threads);
        arena = Arena.ofShared();
        MemorySegment[] in = new MemorySegment[K];
        MemorySegment[] din = new MemorySegment[K];
        for (int k = 1; k < K; k++) {
            in[k] = Buffers.normal(arena, n, k);
            din[k] = Buffers.normal(arena, n, 10 + k);
        }
        xs = MixedOpKernels.pointerArray(arena, n, in);
        dxs = MixedOpKernels.pointerArray(arena, n, din);
        w = Buffers.uniform(arena, K, 0);
        dw = Buffers.normal(arena, K, 1);
        y = Buffers.normal(arena, n, 2);
        dy = Buffers.normal(arena, n, 3);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void forward(Work work) {
        MixedOpKernels.mixedFwd(xs, w, K, n, y, false);
        work.add(2.0 * ACTIVE * n, 4.0 * (ACTIVE + 1) * n);
    }

    @Benchmark
    public void backwardWeightStep(Work work) {
        MixedOpKernels.mixedBwd(xs, w, K, n, dy, dxs, MemorySegment.NULL, false, true);
        work.add(1.0 * ACTIVE * n, 4.0 * (ACTIVE + 1) * n);
    }

    @Benchmark
    public void backwardArchStep(Work work) {
        MixedOpKernels.mixedBwd(xs, w, K, n, dy, MemorySegment.NULL, dw, false, false);
        work.add(2.0 * ACTIVE * n, 4.0 * (ACTIVE + 1) * n);
    }
}
