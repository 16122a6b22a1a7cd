package archway.runtime.cuda;

import archway.UserError;
import archway.runtime.Backend;
import archway.runtime.Binder;
import archway.runtime.BoundStep;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.Executor;
import archway.runtime.FlatOps;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.cuda.global.cudart;

/**
 * The CUDA backend: device memory in per-lifetime arenas ({@link CudaBufferArena}), convolutions, batch
 * norm and max pooling through cuDNN, matrix products through cuBLAS (JavaCPP presets), everything else
 * through Archway's CUDA kernels (FFM), all on one compute stream; input batches arrive through pinned
 * buffers on a second stream; a plan's step ranges replay as CUDA graphs ({@link CudaGraphExecutor}).
 *
 * <p>Its CPU-side logic (descriptors, algorithm cache, recapture decisions, arena bookkeeping, the error
 * path) is tested in CI, which has no GPU; the device side was first run and tested on an NVIDIA H200 on
 * 2026-11-30 (docs/CUDA.md, bench/results/gpu-h200-2026-11-30.md).
 */
public final class CudaBackend implements Backend {
    private static final Map<Integer, CudaBackend> OPEN = new HashMap<>();

    private final CudaContext ctx;
    private final FlatOps flat;

    private CudaBackend(CudaContext ctx) {
        this.ctx = ctx;
        this.flat = new CudaFlatOps(ctx, new CudaBufferArena(ctx));
    }

    /**
     * The backend of device {@code index} (one per device per process). Without a usable GPU, driver,
     * cuBLAS, cuDNN or Archway's CUDA kernels: a {@link UserError} whose one line names what is missing.
     * A malformed {@code -Darchway.cuda.conv.algo} is such a line too, before the device is looked for.
     */
    public static synchronized CudaBackend open(int index) {
        try {
            ConvAlgorithmSearch.configured();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        CudaBackend b = OPEN.get(index);
        if (b != null) {
            return b;
        }
        Optional<String> missing = CudaProbe.whyUnavailable(index);
        if (missing.isPresent()) {
            throw new UserError("--device cuda:" + index + " is not usable: " + missing.get());
        }
        b = new CudaBackend(new CudaContext(index));
        OPEN.put(index, b);
        return b;
    }

    @Override
    public String name() { return "cuda:" + ctx.device; }

    @Override
    public BufferArena arena() { return new CudaBufferArena(ctx); }

    @Override
    public Binder binder() { return new CudaBinder(ctx); }

    @Override
    public FlatOps flat() { return flat; }

    /**
     * Step ranges replayed as CUDA graphs; with {@code -Darchway.cuda.graphs=false} (read per plan) the
     * plain step loop instead, which the equivalence tests compare against.
     */
    @Override
    public Executor executor(BoundStep[] steps, long[] guards, Buffer guardWeights, boolean profile) {
        if (!Boolean.parseBoolean(System.getProperty("archway.cuda.graphs", "true"))) {
            return new Executor(steps, guards, guardWeights, profile) {
                @Override
                protected void awaitStep() {
                    ctx.synchronize();  // a profile times each step's device work, not its launch
                }
            };
        }
        return new CudaGraphExecutor(ctx, steps, guards, guardWeights, profile);
    }

    /** The image conversion is {@link archway.runtime.HostConvert} (no device kernel yet). */
    @Override
    public boolean convertsImagesOnHost() { return true; }

    /** cudaSetDevice on the calling thread (a trial runner's thread, not the one that opened the backend). */
    @Override
    public void enterThread() {
        CudaContext.check(cudart.cudaSetDevice(ctx.device), "cudaSetDevice");
    }

    /** Device backends ignore the CPU thread count. */
    @Override
    public void threads(int n) {
    }

    @Override
    public int threads() { return 1; }

    /** Distinct convolution algorithm searches so far (one per shape and pass). */
    public long algorithmSearches() { return ctx.algorithms.searches(); }
}
