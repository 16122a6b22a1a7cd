package archway.runtime.cuda;

import java.util.function.IntFunction;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
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

    /** One ranked candidate, whichever pass's perf struct it came from. */
    private record Candidate(int status, int determinism, long memory, int algo) {
    }

    private CudnnAlgorithms() {
    }

    static ConvAlgorithm forward(CudaContext ctx, cudnnTensorStruct x, cudnnFilterStruct w, cudnnConvolutionStruct c,
                                 cudnnTensorStruct y) {
        try (IntPointer found = new IntPointer(1);
             cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(CANDIDATES)) {
            CudaContext.checkCudnn(cudnn.cudnnGetConvolutionForwardAlgorithm_v7(ctx.cudnnHandle, x, w, c, y, CANDIDATES,
                    found, perf), "cudnnGetConvolutionForwardAlgorithm_v7");
            return pick(found.get(), perf);
        }
    }

    static ConvAlgorithm backwardData(CudaContext ctx, cudnnFilterStruct w, cudnnTensorStruct dy,
                                      cudnnConvolutionStruct c, cudnnTensorStruct dx) {
        try (IntPointer found = new IntPointer(1);
             cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(CANDIDATES)) {
            CudaContext.checkCudnn(cudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(ctx.cudnnHandle, w, dy, c, dx,
                    CANDIDATES, found, perf), "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            return pick(found.get(), perf);
        }
    }

    static ConvAlgorithm backwardFilter(CudaContext ctx, cudnnTensorStruct x, cudnnTensorStruct dy,
                                        cudnnConvolutionStruct c, cudnnFilterStruct dw) {
        try (IntPointer found = new IntPointer(1);
             cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(CANDIDATES)) {
            CudaContext.checkCudnn(cudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(ctx.cudnnHandle, x, dy, c, dw,
                    CANDIDATES, found, perf), "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            return pick(found.get(), perf);
        }
    }

    /** The best-ranked usable candidate of a forward ranking (by cuDNN's heuristic, or by time). */
    static ConvAlgorithm pick(int found, cudnnConvolutionFwdAlgoPerf_t perf) {
        return pick(found, i -> {
            perf.position(i);
            return new Candidate(perf.status(), perf.determinism(), perf.memory(), perf.algo());
        }, ConvPass.FORWARD);
    }

    /** The same for a data-gradient ranking. */
    static ConvAlgorithm pick(int found, cudnnConvolutionBwdDataAlgoPerf_t perf) {
        return pick(found, i -> {
            perf.position(i);
            return new Candidate(perf.status(), perf.determinism(), perf.memory(), perf.algo());
        }, ConvPass.BACKWARD_DATA);
    }

    /** The same for a filter-gradient ranking. */
    static ConvAlgorithm pick(int found, cudnnConvolutionBwdFilterAlgoPerf_t perf) {
        return pick(found, i -> {
            perf.position(i);
            return new Candidate(perf.status(), perf.determinism(), perf.memory(), perf.algo());
        }, ConvPass.BACKWARD_FILTER);
    }

    /** The best-ranked usable candidate of {@code found} (ranked by cuDNN: by its heuristic, or by time). */
    private static ConvAlgorithm pick(int found, IntFunction<Candidate> candidate, ConvPass pass) {
        for (int i = 0; i < found; i++) {
            Candidate c = candidate.apply(i);
            if (c.status() == cudnn.CUDNN_STATUS_SUCCESS && c.determinism() == cudnn.CUDNN_DETERMINISTIC
                    && c.memory() <= MAX_WORKSPACE) {
                return new ConvAlgorithm(c.algo(), c.memory());
            }
        }
        throw new CudaException("cuDNN offers no deterministic " + pass + " convolution algorithm within "
                + (MAX_WORKSPACE >> 20) + " MiB of workspace for this shape");
    }
}
