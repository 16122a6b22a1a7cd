package archway.bindings.cuda;

import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.Downcalls;
import archway.bindings.NativeException;
import archway.bindings.NativeLibraries;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * libarchway_cuda, when it was built (nvcc present) and can be loaded. Device discovery reports the
 * CUDA runtime's own reason when no GPU is usable.
 */
public final class CudaLibrary {
    /** One CUDA device as the runtime describes it. */
    public record Device(int index, String name, long totalMemoryBytes, int major, int minor) {
    }

    /** The outcome of device discovery: devices found, or why there are none. */
    public record Discovery(List<Device> devices, String whyNone) {
    }

    private static final StringBuilder LOAD_FAILURE = new StringBuilder();
    private static final Optional<SymbolLookup> LOOKUP = load();

    private CudaLibrary() {
    }

    private static Optional<SymbolLookup> load() {
        try {
            return NativeLibraries.tryLoad("archway_cuda", LOAD_FAILURE);
        } catch (NativeException e) {
            LOAD_FAILURE.append(e.getMessage());
            return Optional.empty();
        }
    }

    /** True when libarchway_cuda was found and loaded (it may still see no device). */
    public static boolean loaded() {
        return LOOKUP.isPresent();
    }

    public static Downcalls downcalls() {
        return new Downcalls(LOOKUP.orElseThrow(() -> new NativeException("libarchway_cuda not loaded: " + LOAD_FAILURE)),
                "libarchway_cuda");
    }

    /** Lists CUDA devices, or says why there are none. Never throws. */
    public static Discovery discover() {
        if (LOOKUP.isEmpty()) {
            return new Discovery(List.of(), "libarchway_cuda not available: " + LOAD_FAILURE);
        }
        try (Arena arena = Arena.ofConfined()) {
            Downcalls d = downcalls();
            MethodHandle count = d.status("archway_cuda_device_count", PTR, PTR, I32);
            MethodHandle info = d.status("archway_cuda_device_info", I32, PTR, I32, PTR, PTR, PTR);
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment msg = arena.allocate(256);
            int rc = (int) count.invokeExact(n, msg, 256);
            if (rc != 0) {
                return new Discovery(List.of(), "CUDA runtime: " + msg.getString(0));
            }
            List<Device> out = new ArrayList<>();
            for (int i = 0; i < n.get(ValueLayout.JAVA_INT, 0); i++) {
                MemorySegment name = arena.allocate(256);
                MemorySegment mem = arena.allocate(I64);
                MemorySegment major = arena.allocate(I32);
                MemorySegment minor = arena.allocate(I32);
                NativeException.check((int) info.invokeExact(i, name, 256, mem, major, minor), "archway_cuda_device_info");
                out.add(new Device(i, name.getString(0), mem.get(I64, 0), major.get(I32, 0), minor.get(I32, 0)));
            }
            return new Discovery(out, out.isEmpty() ? "CUDA runtime reports 0 devices" : "");
        } catch (Throwable t) {
            return new Discovery(List.of(), "CUDA discovery failed: " + t.getMessage());
        }
    }
}
