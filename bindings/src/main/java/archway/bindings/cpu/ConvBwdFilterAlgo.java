package archway.bindings.cpu;

/**
 * Weight-gradient algorithms of libarchway_cpu (ARCHWAY_CONV_BWD_FILTER_* in archway.h). {@link #AUTO} is what
 * {@link ConvKernels#conv2dBwdFilter(Conv2dDesc, java.lang.foreign.MemorySegment, java.lang.foreign.MemorySegment,
 * java.lang.foreign.MemorySegment, boolean)} uses; the others name one implementation, for benchmarks and tests.
 */
public enum ConvBwdFilterAlgo {
    /** The library's choice for the shape and ISA variant. */
    AUTO(0),
    /** im2col rows packed as GEMM panels over (image, position); any shape. */
    GEMM(1),
    /** avx512 build, not depthwise, any stride: tap slices of the padded (phase) planes against dy. */
    WIDE(2),
    /** avx512 and avx2 builds, stride 1, k/groups a multiple of 16, 3-wide kernels: output channels in the lanes. */
    LANES(3),
    /** One input channel per group. */
    DEPTHWISE(4),
    /**
     * avx512 and avx2 builds, 3x3 stride 1 ungrouped, channel counts multiples of 16: Winograd F(2x2, 3x3) with the
     * channels in the vector lanes. Automatic with at least 32 channels each way on outputs larger than 32 x 32.
     */
    WINOGRAD(5),
    /**
     * avx512 and avx2 builds, ungrouped, input channels a multiple of 16, any kernel, stride and dilation: input channels
     * in the vector lanes from an HWC copy of x, dy broadcast. Automatic for strided and 1x1 shapes.
     */
    GATHER(6),
    /**
     * avx512 and avx2 builds, 3x3 stride 1 ungrouped, channel counts multiples of 16: Winograd F(4x4, 3x3), dU summed
     * over 6x6 transformed tiles, dW = G^T dU G. Automatic for such shapes up to 32 x 32 outputs.
     */
    WINOGRAD_F4(7);

    private final int code;

    ConvBwdFilterAlgo(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ConvBwdFilterAlgo ofCode(int code) {
        for (ConvBwdFilterAlgo a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown weight-gradient algorithm code " + code);
    }
}
