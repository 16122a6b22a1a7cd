package archway.runtime.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The input pipeline's host side: two pinned (page-locked) host buffers used in turn. An upload copies
 * the bytes into the free one and queues an asynchronous host-to-device copy on the copy stream, after the
 * compute work queued so far (its destination is reused); the compute stream waits on that copy's event.
 * A pinned buffer is refilled only after its previous copy finished (its event).
 */
final class PinnedStaging {
    private final CudaContext ctx;
    private final BytePointer[] host = new BytePointer[2];
    private final long[] capacity = new long[2];
    private final CUevent_st[] done = {new CUevent_st(), new CUevent_st()};
    /** The compute stream's work so far: a copy must not overwrite device memory a queued kernel reads. */
    private final CUevent_st computed = new CUevent_st();
    private final boolean[] pending = new boolean[2];
    private int next;

    PinnedStaging(CudaContext ctx) {
        this.ctx = ctx;
        for (CUevent_st e : new CUevent_st[] {done[0], done[1], computed}) {
            CudaContext.check(cudart.cudaEventCreateWithFlags(e, cudart.cudaEventDisableTiming), "cudaEventCreate");
        }
    }

    synchronized void upload(byte[] src, int length, long deviceAddress) {
        int i = next;
        next = 1 - next;
        if (pending[i]) {
            CudaContext.check(cudart.cudaEventSynchronize(done[i]), "cudaEventSynchronize");
            pending[i] = false;
        }
        if (capacity[i] < length) {
            if (host[i] != null) {
                CudaContext.check(cudart.cudaFreeHost(host[i]), "cudaFreeHost");
            }
            Pointer p = new Pointer();
            CudaContext.check(cudart.cudaMallocHost(p, Math.max(1, length)), "cudaMallocHost");
            host[i] = new BytePointer(p);
            host[i].capacity(Math.max(1, length));
            capacity[i] = Math.max(1, length);
        }
        host[i].put(src, 0, length);
        // The destination (a loader's staging or label buffer) is reused every batch: the copy waits for
        // the kernels queued before it, which may still read the previous batch there.
        CudaContext.check(cudart.cudaEventRecord(computed, ctx.stream), "cudaEventRecord");
        CudaContext.check(cudart.cudaStreamWaitEvent(ctx.copyStream, computed, 0), "cudaStreamWaitEvent");
        CudaContext.check(cudart.cudaMemcpyAsync(new DevicePointer(deviceAddress), host[i], length,
                cudart.cudaMemcpyHostToDevice, ctx.copyStream), "cudaMemcpyAsync");
        CudaContext.check(cudart.cudaEventRecord(done[i], ctx.copyStream), "cudaEventRecord");
        CudaContext.check(cudart.cudaStreamWaitEvent(ctx.stream, done[i], 0), "cudaStreamWaitEvent");
        pending[i] = true;
    }
}
