package archway.runtime.cuda;

import archway.bindings.cuda.CudaKernels;
import java.lang.foreign.MemorySegment;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * {@link ConvAlgorithmSearch#TIMED}: cuDNN times every candidate algorithm of one convolution pass
 * (cudnnFind*AlgorithmEx) on scratch tensors of the convolution's shape. The tensors are filled with
 * Philox uniforms, not zeros, which some kernels run faster on. The fastest deterministic candidate
 * within {@link CudnnAlgorithms#MAX_WORKSPACE} wins. This runs at bind time, outside any graph capture;
 * the scratch is allocated for the search and freed after it.
 *
 * <p>Unverified on hardware: written after the first GPU runs, which had no device time left to try it.
 */
final class CudnnTimedSearch {
    private static final long SEED = 0x5eed;

    private CudnnTimedSearch() {
    }

    static ConvAlgorithm choose(CudaContext ctx, ConvDescriptor d, ConvPass pass, cudnnTensorStruct xd,
                                cudnnFilterStruct wd, cudnnConvolutionStruct cd, cudnnTensorStruct yd) {
        long x = 0, w = 0, y = 0, ws = 0;
        try (IntPointer found = new IntPointer(1)) {
            x = random(ctx, d.x().elements(), 1);
            w = random(ctx, d.filterElements(), 2);
            y = random(ctx, d.y().elements(), 3);
            ws = malloc(CudnnAlgorithms.MAX_WORKSPACE);
            ctx.synchronize();
            int n = CudnnAlgorithms.CANDIDATES;
            long wsBytes = CudnnAlgorithms.MAX_WORKSPACE;
            return switch (pass) {
                case FORWARD -> {
                    try (cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(n)) {
                        CudaContext.checkCudnn(cudnn.cudnnFindConvolutionForwardAlgorithmEx(ctx.cudnnHandle, xd, p(x), wd,
                                p(w), cd, yd, p(y), n, found, perf, p(ws), wsBytes), "cudnnFindConvolutionForwardAlgorithmEx");
                        yield CudnnAlgorithms.pick(found.get(), perf);
                    }
                }
                case BACKWARD_DATA -> {
                    try (cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(n)) {
                        CudaContext.checkCudnn(cudnn.cudnnFindConvolutionBackwardDataAlgorithmEx(ctx.cudnnHandle, wd, p(w),
                                yd, p(y), cd, xd, p(x), n, found, perf, p(ws), wsBytes),
                                "cudnnFindConvolutionBackwardDataAlgorithmEx");
                        yield CudnnAlgorithms.pick(found.get(), perf);
                    }
                }
                case BACKWARD_FILTER -> {
                    try (cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(n)) {
                        CudaContext.checkCudnn(cudnn.cudnnFindConvolutionBackwardFilterAlgorithmEx(ctx.cudnnHandle, xd,
                                p(x), yd, p(y), cd, wd, p(w), n, found, perf, p(ws), wsBytes),
                                "cudnnFindConvolutionBackwardFilterAlgorithmEx");
                        yield CudnnAlgorithms.pick(found.get(), perf);
                    }
                }
            };
        } finally {
            ctx.synchronize();
            for (long a : new long[] {x, w, y, ws}) {
                if (a != 0) {
                    cudart.cudaFree(new DevicePointer(a));
                }
            }
        }
    }

    private static Pointer p(long address) {
        return new DevicePointer(address);
    }

    private static long malloc(long bytes) {
        Pointer p = new Pointer();
        CudaContext.check(cudart.cudaMalloc(p, Math.max(bytes, 1)), "cudaMalloc(" + bytes + ")");
        return p.address();
    }

    /** A device tensor of {@code n} Philox uniforms (stream {@code purpose}), queued on the compute stream. */
    private static long random(CudaContext ctx, long n, int purpose) {
        long a = malloc(n * Float.BYTES);
        CudaKernels.philoxUniform(MemorySegment.ofAddress(a), n, SEED, purpose, 0, ctx.streamSegment());
        return a;
    }
}
