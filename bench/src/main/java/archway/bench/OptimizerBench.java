package archway.bench;

import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.OptimizerKernels;
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
 * The fused optimiser steps over one flat span (1,686,112 floats = the NB201 C=16 N=5 supernet's
 * weights): SGD with Nesterov momentum and weight decay, Adam, AdamW, and the gradient-norm reduction
 * used by clipping. {@code gbyte} counts every array read and written once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class OptimizerBench {
    @Param({"1686112"})
    public long n;
    @Param({"2"})
    public int threads;

    private Arena arena;
    private MemorySegment w, g, m, v;
    private int t;

    @Setup(Level.Trial)
    public void setup() {
        CpuLibrary.setThreads(threads);
        arena = Arena.ofShared();
        w = Buffers.normal(arena, n, 0);
        g = Buffers.normal(arena, n, 1);
        m = Buffers.normal(arena, n, 2);
        v = Buffers.uniform(arena, n, 3);
        ElementwiseKernels.scale(g, n, 1e-3f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void sgdNesterov(Work work) {
        OptimizerKernels.sgdStep(w, g, m, n, 1e-6f, 0.9f, 3e-4f, true);
        work.add(6.0 * n, 4.0 * 5 * n);
    }

    @Benchmark
    public void adam(Work work) {
        OptimizerKernels.adamStep(w, g, m, v, n, 1e-6f, 0.9f, 0.999f, 1e-8f, 1e-3f, ++t, false);
        work.add(12.0 * n, 4.0 * 7 * n);
    }

    @Benchmark
    public void adamW(Work work) {
        OptimizerKernels.adamStep(w, g, m, v, n, 1e-6f, 0.9f, 0.999f, 1e-8f, 1e-3f, ++t, true);
        work.add(12.0 * n, 4.0 * 7 * n);
    }

    @Benchmark
    public double gradNorm(Work work) {
        work.add(2.0 * n, 4.0 * n);
        return ElementwiseKernels.sumsq(g, n);
    }
}
