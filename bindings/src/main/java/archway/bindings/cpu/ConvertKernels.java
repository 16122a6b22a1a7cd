package archway.bindings.cpu;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import archway.bindings.SegmentChecks;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Data conversion kernels: uint8 image batches to normalised float32 NCHW. */
public final class ConvertKernels {
    private static final MethodHandle U8_TO_F32_NORMALIZE =
            CpuLibrary.DOWNCALLS.status("archway_cpu_u8_to_f32_normalize", PTR, PTR, I64, I32, I64, PTR, PTR);

    private ConvertKernels() {
    }

    /**
     * {@code y[n, c, hw] = (x[n, c, hw] / 255 - mean[c]) / std[c]}.
     *
     * @param x    at least {@code n * c * hw} bytes (uint8 images, NCHW)
     * @param y    at least {@code n * c * hw} floats
     * @param mean at least {@code c} floats, per-channel mean in [0, 1] units
     * @param std  at least {@code c} floats, each {@code > 0}
     */
    public static void u8ToF32Normalize(MemorySegment x, MemorySegment y, long n, int c, long hw,
                                        MemorySegment mean, MemorySegment std) {
        if (n < 0 || c < 1 || hw < 0) {
            throw new IllegalArgumentException("u8_to_f32_normalize: bad shape n=" + n + " c=" + c + " hw=" + hw);
        }
        long count = Math.multiplyExact(Math.multiplyExact(n, (long) c), hw);
        if (x == null || x.equals(MemorySegment.NULL) || x.byteSize() < count) {
            throw new IllegalArgumentException("u8_to_f32_normalize x: buffer holds "
                    + (x == null ? 0 : x.byteSize()) + " bytes, " + count + " needed");
        }
        SegmentChecks.floats(y, count, "u8_to_f32_normalize y");
        SegmentChecks.floats(mean, c, "u8_to_f32_normalize mean");
        SegmentChecks.floats(std, c, "u8_to_f32_normalize std");
        for (int ch = 0; ch < c; ch++) {
            float s = std.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, ch);
            if (!(s > 0f)) {
                throw new IllegalArgumentException("u8_to_f32_normalize std[" + ch + "] = " + s + ", must be > 0");
            }
        }
        try {
            NativeException.check((int) U8_TO_F32_NORMALIZE.invokeExact(x, y, n, c, hw, mean, std),
                    "archway_cpu_u8_to_f32_normalize");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cpu_u8_to_f32_normalize", t);
        }
    }
}
