package archway.bindings.cuda;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Philox streams generated on the GPU and copied back, for checking CUDA against the CPU kernels
 * (both include archway/math/philox.h, so the streams must be identical bit for bit). Allocates its own
 * device buffer per call: a test and tooling path, not a hot one.
 */
public final class CudaPhilox {
    private CudaPhilox() {
    }

    /** Fills {@code out} (n floats, host memory) from the GPU's uniform (or normal) Philox stream. */
    public static void generate(MemorySegment out, long n, long seed, int purpose, int step, boolean normal) {
        if (n < 1 || out.byteSize() < n * Float.BYTES) {
            throw new IllegalArgumentException("CudaPhilox: out holds " + out.byteSize() / Float.BYTES + " floats, " + n
                    + " needed");
        }
        var d = CudaLibrary.downcalls();
        MethodHandle malloc = d.status("archway_cuda_malloc", PTR, I64);
        MethodHandle free = d.status("archway_cuda_free", PTR);
        MethodHandle d2h = d.status("archway_cuda_memcpy_d2h", PTR, PTR, I64);
        MethodHandle sync = d.status("archway_cuda_synchronize");
        String gen = normal ? "archway_cuda_philox_normal" : "archway_cuda_philox_uniform";
        MethodHandle fill = d.status(gen, PTR, I64, I64, I32, I32, PTR);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
            NativeException.check((int) malloc.invokeExact(slot, n * Float.BYTES), "archway_cuda_malloc");
            MemorySegment dev = slot.get(ValueLayout.ADDRESS, 0);
            try {
                NativeException.check((int) fill.invokeExact(dev, n, seed, purpose, step, MemorySegment.NULL), gen);
                NativeException.check((int) sync.invokeExact(), "archway_cuda_synchronize");
                NativeException.check((int) d2h.invokeExact(out, dev, n * Float.BYTES), "archway_cuda_memcpy_d2h");
            } finally {
                NativeException.check((int) free.invokeExact(dev), "archway_cuda_free");
            }
        } catch (Throwable t) {
            throw NativeException.wrap(gen, t);
        }
    }
}
