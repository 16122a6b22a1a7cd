package archway.runtime.cuda;

/**
 * A 4-D NCHW float tensor as cuDNN describes it: dims and element strides (packed, innermost w).
 * cudnnSetTensor4dDescriptorEx takes exactly these eight numbers.
 */
public record TensorLayout(int n, int c, int h, int w, int nStride, int cStride, int hStride, int wStride) {
    /** The packed NCHW layout of an [n, c, h, w] tensor. */
    public static TensorLayout packed(int n, int c, int h, int w) {
        return new TensorLayout(n, c, h, w, c * h * w, h * w, w, 1);
    }

    /** Elements the layout spans. */
    public long elements() {
        return (long) n * c * h * w;
    }
}
