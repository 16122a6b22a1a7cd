package archway.bindings.cpu;

import archway.bindings.Downcalls;
import archway.bindings.NativeException;
import archway.bindings.NativeLibraries;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** libarchway_cpu: loading, ABI check, OpenMP thread control and the SIMD feature report. */
public final class CpuLibrary {
    /** Must equal archway_cpu_abi_version() of the loaded library. */
    public static final int ABI_VERSION = 1;

    /** Downcall factory over libarchway_cpu; every CPU kernel binding class builds its handles from it. */
    public static final Downcalls DOWNCALLS = new Downcalls(NativeLibraries.load("archway_cpu"), "libarchway_cpu");

    private static final MethodHandle ABI = DOWNCALLS.handle("archway_cpu_abi_version",
            java.lang.foreign.FunctionDescriptor.of(Downcalls.I32));
    private static final MethodHandle SET_THREADS = DOWNCALLS.status("archway_cpu_set_threads", Downcalls.I32);
    private static final MethodHandle GET_THREADS = DOWNCALLS.handle("archway_cpu_get_threads",
            java.lang.foreign.FunctionDescriptor.of(Downcalls.I32));
    private static final MethodHandle FEATURES = DOWNCALLS.status("archway_cpu_features", Downcalls.PTR, Downcalls.I32);

    static {
        int abi = abiVersion();
        if (abi != ABI_VERSION) {
            throw new NativeException("libarchway_cpu ABI " + abi + " but the Java bindings expect " + ABI_VERSION
                    + "; rebuild the native library (make -C native)");
        }
    }

    private CpuLibrary() {
    }

    public static int abiVersion() {
        try {
            return (int) ABI.invokeExact();
        } catch (Throwable t) {
            throw new NativeException("archway_cpu_abi_version", t);
        }
    }

    /** Sets the OpenMP team size used by every following CPU kernel call. */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        try {
            NativeException.check((int) SET_THREADS.invokeExact(threads), "archway_cpu_set_threads");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new NativeException("archway_cpu_set_threads", t);
        }
    }

    public static int threads() {
        try {
            return (int) GET_THREADS.invokeExact();
        } catch (Throwable t) {
            throw new NativeException("archway_cpu_get_threads", t);
        }
    }

    /** SIMD features the library was compiled for, e.g. "avx2 fma avx sse4.2". */
    public static String features() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            NativeException.check((int) FEATURES.invokeExact(buf, 256), "archway_cpu_features");
            return buf.getString(0);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new NativeException("archway_cpu_features", t);
        }
    }
}
