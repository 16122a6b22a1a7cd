package archway.runtime.cuda;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnPoolingStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;

/** The native cuDNN descriptors of one plan, made from the descriptor records at bind time, destroyed together. */
final class CudnnDescriptors implements AutoCloseable {
    private final List<cudnnTensorStruct> tensors = new ArrayList<>();
    private final List<cudnnFilterStruct> filters = new ArrayList<>();
    private final List<cudnnConvolutionStruct> convs = new ArrayList<>();
    private final List<cudnnPoolingStruct> pools = new ArrayList<>();

    cudnnTensorStruct tensor(TensorLayout t) {
        cudnnTensorStruct d = new cudnnTensorStruct();
        CudaContext.checkCudnn(cudnn.cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor");
        tensors.add(d);
        CudaContext.checkCudnn(cudnn.cudnnSetTensor4dDescriptorEx(d, cudnn.CUDNN_DATA_FLOAT, t.n(), t.c(), t.h(), t.w(),
                t.nStride(), t.cStride(), t.hStride(), t.wStride()), "cudnnSetTensor4dDescriptorEx");
        return d;
    }

    cudnnFilterStruct filter(ConvDescriptor c) {
        cudnnFilterStruct d = new cudnnFilterStruct();
        CudaContext.checkCudnn(cudnn.cudnnCreateFilterDescriptor(d), "cudnnCreateFilterDescriptor");
        filters.add(d);
        CudaContext.checkCudnn(cudnn.cudnnSetFilter4dDescriptor(d, cudnn.CUDNN_DATA_FLOAT, cudnn.CUDNN_TENSOR_NCHW,
                c.filterK(), c.filterC(), c.filterH(), c.filterW()), "cudnnSetFilter4dDescriptor");
        return d;
    }

    cudnnConvolutionStruct convolution(ConvDescriptor c) {
        cudnnConvolutionStruct d = new cudnnConvolutionStruct();
        CudaContext.checkCudnn(cudnn.cudnnCreateConvolutionDescriptor(d), "cudnnCreateConvolutionDescriptor");
        convs.add(d);
        CudaContext.checkCudnn(cudnn.cudnnSetConvolution2dDescriptor(d, c.pad(), c.pad(), c.stride(), c.stride(),
                c.dilation(), c.dilation(), cudnn.CUDNN_CROSS_CORRELATION, cudnn.CUDNN_DATA_FLOAT),
                "cudnnSetConvolution2dDescriptor");
        CudaContext.checkCudnn(cudnn.cudnnSetConvolutionGroupCount(d, c.groups()), "cudnnSetConvolutionGroupCount");
        // FP32 FMA math only: no tensor-core TF32, so results stay close to the CPU backend's.
        CudaContext.checkCudnn(cudnn.cudnnSetConvolutionMathType(d, cudnn.CUDNN_FMA_MATH), "cudnnSetConvolutionMathType");
        return d;
    }

    cudnnPoolingStruct maxPooling(PoolDescriptor p) {
        cudnnPoolingStruct d = new cudnnPoolingStruct();
        CudaContext.checkCudnn(cudnn.cudnnCreatePoolingDescriptor(d), "cudnnCreatePoolingDescriptor");
        pools.add(d);
        CudaContext.checkCudnn(cudnn.cudnnSetPooling2dDescriptor(d, cudnn.CUDNN_POOLING_MAX_DETERMINISTIC,
                cudnn.CUDNN_NOT_PROPAGATE_NAN, p.window(), p.window(), p.pad(), p.pad(), p.stride(), p.stride()),
                "cudnnSetPooling2dDescriptor");
        return d;
    }

    @Override
    public void close() {
        tensors.forEach(cudnn::cudnnDestroyTensorDescriptor);
        filters.forEach(cudnn::cudnnDestroyFilterDescriptor);
        convs.forEach(cudnn::cudnnDestroyConvolutionDescriptor);
        pools.forEach(cudnn::cudnnDestroyPoolingDescriptor);
        tensors.clear();
        filters.clear();
        convs.clear();
        pools.clear();
    }
}
