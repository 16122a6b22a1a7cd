package archway.runtime.cuda;

import java.lang.foreign.MemorySegment;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One device's handles: the compute stream every kernel, cuDNN and cuBLAS call runs on, a second
 * stream for input copies, the cuDNN and cuBLAS handles bound to the compute stream, and the cuDNN
 * algorithm cache. Host reads synchronise the compute stream first.
 */
final class CudaContext {
    final int device;
    final CUstream_st stream = new CUstream_st();
    final CUstream_st copyStream = new CUstream_st();
    final cudnnContext cudnnHandle = new cudnnContext();
    final cublasContext cublasHandle = new cublasContext();
    final AlgorithmCache algorithms = new AlgorithmCache();
    /** Host constants cuDNN and cuBLAS read alpha / beta from (pointer mode host). */
    final FloatPointer one = new FloatPointer(1f), zero = new FloatPointer(0f);

    private PinnedStaging staging;

    CudaContext(int device) {
        this.device = device;
        check(cudart.cudaSetDevice(device), "cudaSetDevice");
        check(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreate");
        check(cudart.cudaStreamCreateWithFlags(copyStream, cudart.cudaStreamNonBlocking), "cudaStreamCreate");
        checkCudnn(cudnn.cudnnCreate(cudnnHandle), "cudnnCreate");
        checkCudnn(cudnn.cudnnSetStream(cudnnHandle, stream), "cudnnSetStream");
        checkCublas(cublas.cublasCreate_v2(cublasHandle), "cublasCreate");
        checkCublas(cublas.cublasSetStream_v2(cublasHandle, stream), "cublasSetStream");
        // Pedantic math: no TF32 shortcuts, so results stay comparable with the CPU backend.
        checkCublas(cublas.cublasSetMathMode(cublasHandle, cublas.CUBLAS_PEDANTIC_MATH), "cublasSetMathMode");
    }

    /** The pinned host buffers of the input pipeline (made on first upload). */
    synchronized PinnedStaging staging() {
        if (staging == null) {
            staging = new PinnedStaging(this);
        }
        return staging;
    }

    /** The compute stream as our FFM kernels take it. */
    MemorySegment streamSegment() {
        return MemorySegment.ofAddress(stream.address());
    }

    void synchronize() {
        check(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    /** Synchronous copy of {@code bytes} bytes (a host side given as a JavaCPP pointer). */
    void copy(Pointer dst, Pointer src, long bytes, int kind) {
        synchronize();
        check(cudart.cudaMemcpy(dst, src, bytes, kind), "cudaMemcpy");
    }

    static void check(int status, String call) {
        if (status != cudart.cudaSuccess) {
            throw new CudaException(call + " failed: " + cudart.cudaGetErrorString(status).getString() + " (" + status + ")");
        }
    }

    static void checkCudnn(int status, String call) {
        if (status != cudnn.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cudnn.cudnnGetErrorString(status).getString());
        }
    }

    static void checkCublas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed with cuBLAS status " + status);
        }
    }
}
