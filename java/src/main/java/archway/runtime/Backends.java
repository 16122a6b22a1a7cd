package archway.runtime;

import archway.UserError;
import archway.runtime.cpu.CpuBackend;
import archway.runtime.cuda.CudaBackend;

/**
 * Which backend the engine uses when none is named: the CPU one, unless a command selected another
 * with {@link #select} ({@code --device}) before building anything.
 */
public final class Backends {
    private static volatile Backend current = CpuBackend.instance();

    private Backends() {
    }

    /** The process-wide default backend. */
    public static Backend standard() {
        return current;
    }

    /**
     * Makes the backend for {@code choice} the process default. A CUDA choice opens the device now, so a
     * machine without a GPU, driver, cuBLAS or cuDNN fails here with one {@link UserError} line naming
     * what is missing.
     */
    public static Backend select(DeviceChoice choice) {
        Backend b = switch (choice.kind()) {
            case CPU -> CpuBackend.instance();
            case CUDA -> CudaBackend.open(choice.index());
        };
        current = b;
        return b;
    }

    /**
     * Makes {@code backend} the process default: a backend of an embedding application's own, or a test's
     * instrumented one. Call it before building anything, as with {@link #select}.
     */
    public static Backend use(Backend backend) {
        current = java.util.Objects.requireNonNull(backend, "backend");
        return backend;
    }

    /** Back to the CPU backend (tests, and a CLI run that selected another). */
    public static void reset() {
        current = CpuBackend.instance();
    }
}
