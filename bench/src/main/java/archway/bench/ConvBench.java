package archway.bench;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
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
 * Convolution kernels at NAS-Bench-201 / DARTS cell shapes: forward, data gradient and filter gradient
 * of 3x3, 1x1, depthwise 3x3 and dilated 3x3 (dilation 2) convolutions, stride 1, "same" padding.
 * {@code gflop} = 2 x MACs per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
        "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class ConvBench {
    /** conv3x3 | conv1x1 | dw3x3 | dil3x3. */
    @Param({"conv3x3", "conv1x1", "dw3x3", "dil3x3"})
    public String kind;
    @Param({"64"})
    public int batch;
    @Param({"16"})
    public int channels;
    @Param({"32"})
    public int size;
    @Param({"2"})
    public int threads;

    private Arena arena;
    private Conv2dDesc d;
    private MemorySegment x, w, y, dy, dx, dw;
    private double flop;

    @Setup(Level.Trial)
    public void setup() {
        CpuLibrary.setThreads(threads);
        arena = Arena.ofShared();
        int kernel = "conv1x1".equals(kind) ? 1 : 3;
        int dil = "dil3x3".equals(kind) ? 2 : 1;
        int groups = "dw3x3".equals(kind) ? channels : 1;
        d = Conv2dDesc.square(arena, batch, channels, size, size, channels, kernel, 1, dil * (kernel - 1) / 2, dil, groups);
        x = Buffers.normal(arena, d.inputSize(), 0);
        w = Buffers.normal(arena, d.weightSize(), 1);
        y = Buffers.normal(arena, d.outputSize(), 2);
        dy = Buffers.normal(arena, d.outputSize(), 3);
        dx = Buffers.normal(arena, d.inputSize(), 4);
        dw = Buffers.normal(arena, d.weightSize(), 5);
        flop = 2.0 * d.macs();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private double bytes() {
        return 4.0 * (d.inputSize() + d.outputSize() + d.weightSize());
    }

    @Benchmark
    public void forward(Work work) {
        ConvKernels.conv2dFwd(d, x, w, y);
        work.add(flop, bytes());
    }

    @Benchmark
    public void backwardData(Work work) {
        ConvKernels.conv2dBwdData(d, dy, w, dx, false);
        work.add(flop, bytes());
    }

    @Benchmark
    public void backwardFilter(Work work) {
        ConvKernels.conv2dBwdFilter(d, x, dy, dw, false);
        work.add(flop, bytes());
    }
}
