package archway.bindings.cpu;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Philox4x32-10 streams keyed (seed, purpose, step); identical on CPU and CUDA. */
public final class RandomKernels {
    private static final MethodHandle UNIFORM = CpuLibrary.DOWNCALLS.status("archway_cpu_philox_uniform", PTR, I64, I64, I32, I32);
    private static final MethodHandle NORMAL = CpuLibrary.DOWNCALLS.status("archway_cpu_philox_normal", PTR, I64, I64, I32, I32);

    private static final MethodHandle WEIGHT_NOISE = CpuLibrary.DOWNCALLS.status("archway_cpu_weight_noise",
            PTR, PTR, I64, F32, I64, I32, I32);

    private RandomKernels() {
    }

    /** Fills the first n floats of out with U[0,1) (24-bit resolution). */
    public static void uniform(MemorySegment out, long n, long seed, int purpose, int step) {
        SegmentChecks.floats(out, n, "philox_uniform out");
        try {
            NativeException.check((int) UNIFORM.invokeExact(out, n, seed, purpose, step), "archway_cpu_philox_uniform");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_philox_uniform", t);
        }
    }

    /** Fills the first n floats of out with N(0,1) (Box-Muller on consecutive uniform pairs). */
    public static void normal(MemorySegment out, long n, long seed, int purpose, int step) {
        SegmentChecks.floats(out, n, "philox_normal out");
        try {
            NativeException.check((int) NORMAL.invokeExact(out, n, seed, purpose, step), "archway_cpu_philox_normal");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_philox_normal", t);
        }
    }

    /**
     * FlatNAS multiplicative Gaussian weight noise: out = w + sigma w eps, eps element i of the normal
     * stream (seed, purpose, step); out may be w (in place). Restoring means copying the saved w back.
     */
    public static void weightNoise(MemorySegment w, MemorySegment out, long n, float sigma, long seed, int purpose,
                                   int step) {
        SegmentChecks.floats(w, n, "weight_noise w");
        SegmentChecks.floats(out, n, "weight_noise out");
        try {
            NativeException.check((int) WEIGHT_NOISE.invokeExact(w, out, n, sigma, seed, purpose, step),
                    "archway_cpu_weight_noise");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_weight_noise", t);
        }
    }
}
