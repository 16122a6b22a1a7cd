package archway.runtime.cuda;

import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;

/** Device buffers carved from {@link BumpArena} chunks: cudaMalloc'd and zero-filled, freed together. */
final class CudaBufferArena implements BufferArena {
    private final CudaContext ctx;
    private final BumpArena bump;

    CudaBufferArena(CudaContext ctx) {
        this.ctx = ctx;
        this.bump = new BumpArena(bytes -> {
            Pointer p = new Pointer();
            CudaContext.check(cudart.cudaMalloc(p, bytes), "cudaMalloc(" + bytes + ")");
            CudaContext.check(cudart.cudaMemsetAsync(p, 0, bytes, ctx.stream), "cudaMemsetAsync");
            return p.address();
        }, address -> CudaContext.check(cudart.cudaFree(new DevicePointer(address)), "cudaFree"));
    }

    @Override
    public Buffer allocate(long elements) {
        return new CudaBuffer(ctx, bump.allocate(elements * Float.BYTES), elements * Float.BYTES);
    }

    @Override
    public Buffer allocateBytes(long bytes) {
        return new CudaBuffer(ctx, bump.allocate(bytes), bytes);
    }

    @Override
    public void close() {
        ctx.synchronize();
        bump.close();
    }
}
