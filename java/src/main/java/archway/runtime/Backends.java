package archway.runtime;

import archway.runtime.cpu.CpuBackend;

/** Which backend the engine uses when none is named: the CPU one (the CUDA backend is not built yet). */
public final class Backends {
    private Backends() {
    }

    /** The process-wide default backend. */
    public static Backend standard() {
        return CpuBackend.instance();
    }
}
