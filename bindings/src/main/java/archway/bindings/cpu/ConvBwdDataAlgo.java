package archway.bindings.cpu;

/**
 * Data-gradient algorithms of libarchway_cpu (ARCHWAY_CONV_BWD_DATA_* in archway.h). {@link #AUTO} is what
 * {@link ConvKernels#conv2dBwdData(Conv2dDesc, java.lang.foreign.MemorySegment, java.lang.foreign.MemorySegment,
 * java.lang.foreign.MemorySegment, boolean)} uses; the others name one implementation, for benchmarks and tests.
 */
public enum ConvBwdDataAlgo {
    /** The library's choice for the shape and ISA variant. */
    AUTO(0),
    /** W^T dy into columns, then col2im; any shape. */
    GEMM(1),
    /** Stride 1, not 1x1: forward convolution of dy with the flipped filters through padded GEMM panels. */
    PADDED(2),
    /** avx512 build: the same through the direct kernel (width a multiple of 16, or 8; 1x1 included). */
    DIRECT(3),
    /** avx512 build: the same through the wide kernel (any width); bit-identical to {@link #PADDED}. */
    WIDE(4),
    /** One input channel per group. */
    DEPTHWISE(5),
    /**
     * Stride > 1, not depthwise: each phase of dx (rows and columns modulo the stride) is a stride-1
     * convolution of dy with the taps that reach it, run by the forward kernels, then scattered into dx.
     * Never automatic: it measured slower than {@link #GEMM} on the NB201 reductions.
     */
    PHASES(6),
    /** avx512 build: the flipped forward through the lanes kernel (width at most 14, c/groups % 32 == 0). */
    LANES(7),
    /**
     * 3x3, stride 1, ungrouped: the flipped forward through Winograd F(2x2, 3x3) (avx512 build with channel
     * counts that are multiples of 16: the vectorised kernel; elsewhere a scalar reference). Automatic where
     * the forward takes Winograd.
     */
    WINOGRAD(8),
    /**
     * avx512 and avx2 builds, ungrouped, input channels a multiple of 16, any kernel, stride and dilation: the columns
     * W^T dy of each output position (input channels in the vector lanes) added into an HWC copy of dx by
     * vector adds, then transposed back. Automatic for strided shapes.
     */
    SCATTER(9),
    /**
     * avx512 and avx2 builds, 3x3 stride 1 ungrouped, channel counts multiples of 16: the F(4x4, 3x3) forward on dy
     * with the flipped filters ({@link ConvAlgo#WINOGRAD_F4}). Automatic where the forward of the flipped shape
     * takes it.
     */
    WINOGRAD_F4(10);

    private final int code;

    ConvBwdDataAlgo(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ConvBwdDataAlgo ofCode(int code) {
        for (ConvBwdDataAlgo a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown data-gradient algorithm code " + code);
    }
}
