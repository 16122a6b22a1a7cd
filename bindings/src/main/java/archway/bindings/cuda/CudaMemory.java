package archway.bindings.cuda;

import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Device memory for tests and tools: plain cudaMalloc'd buffers, synchronous host copies. A device
 * buffer is a zero-length {@link MemorySegment} holding the device address: Java never dereferences it,
 * and its size is the caller's to track (no Java-side bounds check is possible for device memory).
 */
public final class CudaMemory {
    private static final class Handles {
        static final MethodHandle MALLOC = CudaLibrary.downcalls().status("archway_cuda_malloc", PTR, I64);
        static final MethodHandle FREE = CudaLibrary.downcalls().status("archway_cuda_free", PTR);
        static final MethodHandle H2D = CudaLibrary.downcalls().status("archway_cuda_memcpy_h2d", PTR, PTR, I64);
        static final MethodHandle D2H = CudaLibrary.downcalls().status("archway_cuda_memcpy_d2h", PTR, PTR, I64);
        static final MethodHandle SYNC = CudaLibrary.downcalls().status("archway_cuda_synchronize");
    }

    private CudaMemory() {
    }

    /** A new device buffer of {@code bytes} (at least 1) bytes. */
    public static MemorySegment malloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
            NativeException.check((int) Handles.MALLOC.invokeExact(slot, Math.max(bytes, 1L)), "archway_cuda_malloc");
            return slot.get(ValueLayout.ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cuda_malloc", t);
        }
    }

    public static void free(MemorySegment device) {
        try {
            NativeException.check((int) Handles.FREE.invokeExact(device), "archway_cuda_free");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cuda_free", t);
        }
    }

    /** Host to device, {@code bytes} bytes (the host segment must hold them). */
    public static void toDevice(MemorySegment device, MemorySegment host, long bytes) {
        if (host.byteSize() < bytes) {
            throw new IllegalArgumentException("toDevice: host buffer holds " + host.byteSize() + " bytes, " + bytes
                    + " needed");
        }
        try {
            NativeException.check((int) Handles.H2D.invokeExact(device, host, bytes), "archway_cuda_memcpy_h2d");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cuda_memcpy_h2d", t);
        }
    }

    /** Device to host after all queued work (the copy synchronises with the default stream). */
    public static void toHost(MemorySegment host, MemorySegment device, long bytes) {
        if (host.byteSize() < bytes) {
            throw new IllegalArgumentException("toHost: host buffer holds " + host.byteSize() + " bytes, " + bytes
                    + " needed");
        }
        try {
            NativeException.check((int) Handles.SYNC.invokeExact(), "archway_cuda_synchronize");
            NativeException.check((int) Handles.D2H.invokeExact(host, device, bytes), "archway_cuda_memcpy_d2h");
        } catch (Throwable t) {
            throw NativeException.wrap("archway_cuda_memcpy_d2h", t);
        }
    }
}
