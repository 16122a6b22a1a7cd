package archway.runtime.cuda;

import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.IntPointer;

/**
 * Chooses cuDNN convolution algorithms from cuDNN's own heuristic ranking (the _v7 queries: no
 * device timing, so choosing needs no buffers), taking the best-ranked one that is deterministic, so a
 * seeded rerun is bit-identical, and within {@link #MAX_WORKSPACE} bytes of workspace. Called through
 * the {@link AlgorithmCache}, once per descriptor and pass.
 */
final class CudnnAlgorithms {
    static final int CANDIDATES = 16;
    static final long MAX_WORKSPACE = 256L << 20;

    private CudnnAlgorithms() {
    }

    static ConvAlgorithm forward(CudaContext ctx, cudnnTensorStruct x, cudnnFilterStruct w, cudnnConvolutionStruct c,
                                 cudnnTensorStruct y) {
        cudnnContext h = ctx.cudnnHandle;
        try (IntPointer found = new IntPointer(1);
             cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(CANDIDATES)) {
            CudaContext.checkCudnn(cudnn.cudnnGetConvolutionForwardAlgorithm_v7(h, x, w, c, y, CANDIDATES, found, perf),
                    "cudnnGetConvolutionForwardAlgorithm_v7");
            for (int i = 0; i < found.get(); i++) {
                perf.position(i);
                if (usable(perf.status(), perf.determinism(), perf.memory())) {
                    return new ConvAlgorithm(perf.algo(), perf.memory());
                }
            }
        }
        throw new CudaException("cuDNN offers no deterministic forward convolution algorithm for this shape");
    }

    static ConvAlgorithm backwardData(CudaContext ctx, cudnnFilterStruct w, cudnnTensorStruct dy,
                                      cudnnConvolutionStruct c, cudnnTensorStruct dx) {
        cudnnContext h = ctx.cudnnHandle;
        try (IntPointer found = new IntPointer(1);
             cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(CANDIDATES)) {
            CudaContext.checkCudnn(cudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(h, w, dy, c, dx, CANDIDATES, found,
                    perf), "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            for (int i = 0; i < found.get(); i++) {
                perf.position(i);
                if (usable(perf.status(), perf.determinism(), perf.memory())) {
                    return new ConvAlgorithm(perf.algo(), perf.memory());
                }
            }
        }
        throw new CudaException("cuDNN offers no deterministic backward-data convolution algorithm for this shape");
    }

    static ConvAlgorithm backwardFilter(CudaContext ctx, cudnnTensorStruct x, cudnnTensorStruct dy,
                                        cudnnConvolutionStruct c, cudnnFilterStruct dw) {
        cudnnContext h = ctx.cudnnHandle;
        try (IntPointer found = new IntPointer(1);
             cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(CANDIDATES)) {
            CudaContext.checkCudnn(cudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, x, dy, c, dw, CANDIDATES, found,
                    perf), "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            for (int i = 0; i < found.get(); i++) {
                perf.position(i);
                if (usable(perf.status(), perf.determinism(), perf.memory())) {
                    return new ConvAlgorithm(perf.algo(), perf.memory());
                }
            }
        }
        throw new CudaException("cuDNN offers no deterministic backward-filter convolution algorithm for this shape");
    }

    private static boolean usable(int status, int determinism, long memory) {
        return status == cudnn.CUDNN_STATUS_SUCCESS && determinism == cudnn.CUDNN_DETERMINISTIC
                && memory <= MAX_WORKSPACE;
    }
}
