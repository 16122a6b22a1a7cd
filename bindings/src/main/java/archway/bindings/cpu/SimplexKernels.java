package archway.bindings.cpu;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Row-wise maps of x[rows, cols] onto the probability simplex, applied to x / temperature: softmax,
 * and sparsemax (Martins &amp; Astudillo 2016), which gives exact zeros so the mixed op can skip
 * candidates. Backward takes the forward output y and includes the 1/temperature factor.
 */
public final class SimplexKernels {
    private static final MethodHandle SOFTMAX_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_softmax_rows_fwd",
            PTR, PTR, I32, I32, F32);
    private static final MethodHandle SOFTMAX_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_softmax_rows_bwd",
            PTR, PTR, PTR, I32, I32, F32, I32);
    private static final MethodHandle SPARSEMAX_FWD = CpuLibrary.DOWNCALLS.status("archway_cpu_sparsemax_rows_fwd",
            PTR, PTR, I32, I32, F32);
    private static final MethodHandle SPARSEMAX_BWD = CpuLibrary.DOWNCALLS.status("archway_cpu_sparsemax_rows_bwd",
            PTR, PTR, PTR, I32, I32, F32, I32);

    private SimplexKernels() {
    }

    /** y = softmax(x / temperature) per row. */
    public static void softmaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature) {
        check(rows, cols, temperature, "softmax_rows_fwd");
        SegmentChecks.floats(x, (long) rows * cols, "softmax_rows_fwd x");
        SegmentChecks.floats(y, (long) rows * cols, "softmax_rows_fwd y");
        try {
            NativeException.check((int) SOFTMAX_FWD.invokeExact(x, y, rows, cols, temperature), "archway_cpu_softmax_rows_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_softmax_rows_fwd", t);
        }
    }

    /** dx (+)= (1/T) y (dy - &lt;dy, y&gt;) per row, y the forward output. */
    public static void softmaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols,
                                      float temperature, boolean accumulate) {
        check(rows, cols, temperature, "softmax_rows_bwd");
        long size = (long) rows * cols;
        SegmentChecks.floats(y, size, "softmax_rows_bwd y");
        SegmentChecks.floats(dy, size, "softmax_rows_bwd dy");
        SegmentChecks.floats(dx, size, "softmax_rows_bwd dx");
        try {
            NativeException.check((int) SOFTMAX_BWD.invokeExact(y, dy, dx, rows, cols, temperature,
                    SegmentChecks.flag(accumulate)), "archway_cpu_softmax_rows_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_softmax_rows_bwd", t);
        }
    }

    /** y = sparsemax(x / temperature) per row: max(z - tau, 0) with tau making the row sum to 1. */
    public static void sparsemaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature) {
        check(rows, cols, temperature, "sparsemax_rows_fwd");
        SegmentChecks.floats(x, (long) rows * cols, "sparsemax_rows_fwd x");
        SegmentChecks.floats(y, (long) rows * cols, "sparsemax_rows_fwd y");
        try {
            NativeException.check((int) SPARSEMAX_FWD.invokeExact(x, y, rows, cols, temperature),
                    "archway_cpu_sparsemax_rows_fwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_sparsemax_rows_fwd", t);
        }
    }

    /** dx (+)= (1/T) s (dy - mean of dy over the support s = {y &gt; 0}) per row, y the forward output. */
    public static void sparsemaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols,
                                        float temperature, boolean accumulate) {
        check(rows, cols, temperature, "sparsemax_rows_bwd");
        long size = (long) rows * cols;
        SegmentChecks.floats(y, size, "sparsemax_rows_bwd y");
        SegmentChecks.floats(dy, size, "sparsemax_rows_bwd dy");
        SegmentChecks.floats(dx, size, "sparsemax_rows_bwd dx");
        try {
            NativeException.check((int) SPARSEMAX_BWD.invokeExact(y, dy, dx, rows, cols, temperature,
                    SegmentChecks.flag(accumulate)), "archway_cpu_sparsemax_rows_bwd");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_sparsemax_rows_bwd", t);
        }
    }

    private static void check(int rows, int cols, float temperature, String what) {
        SegmentChecks.atLeast(1, what + " rows/cols", rows, cols);
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException(what + ": temperature must be finite and > 0, got " + temperature);
        }
    }
}
