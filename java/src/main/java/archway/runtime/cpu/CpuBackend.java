package archway.runtime.cpu;

import archway.bindings.cpu.CpuLibrary;
import archway.runtime.Backend;
import archway.runtime.Binder;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;

/** The CPU backend: host memory and the C++/OpenMP kernels of libarchway_cpu through FFM. */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private final FlatOps flat = new CpuFlatOps();

    private CpuBackend() {
    }

    /** The one CPU backend of the process (the kernel library and its thread pool are process-wide). */
    public static CpuBackend instance() {
        return INSTANCE;
    }

    @Override
    public String name() { return "cpu"; }

    @Override
    public BufferArena arena() { return new CpuBufferArena(); }

    @Override
    public Binder binder() { return new CpuBinder(); }

    @Override
    public FlatOps flat() { return flat; }

    @Override
    public boolean fusesBatchNormIntoSums() { return true; }

    @Override
    public boolean fusesSiblingConvolutions() { return true; }

    @Override
    public void threads(int n) { CpuLibrary.setThreads(n); }

    @Override
    public int threads() { return CpuLibrary.threads(); }
}
