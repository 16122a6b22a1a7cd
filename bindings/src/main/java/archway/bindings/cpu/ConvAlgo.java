package archway.bindings.cpu;

/**
 * Forward convolution algorithms of libarchway_cpu (ARCHWAY_CONV_ALGO_* in archway.h). {@link #AUTO} is what
 * {@link ConvKernels#conv2dFwd(Conv2dDesc, java.lang.foreign.MemorySegment, java.lang.foreign.MemorySegment,
 * java.lang.foreign.MemorySegment)} uses; the others name one implementation, for benchmarks and tests.
 */
public enum ConvAlgo {
    /** The library's choice for the shape and ISA variant. */
    AUTO(0),
    /** im2col rows packed straight into GEMM panels; any shape. */
    IM2COL(1),
    /** Stride 1 (not pointwise): taps read as slices of a zero-padded copy of the input. */
    PADDED(2),
    /** avx512 build, stride 1, output width a multiple of 16 (or 8): no input packing at all. */
    DIRECT(3),
    /** One input channel per group (depthwise): direct per-channel correlation. */
    DEPTHWISE(4),
    /** Winograd F(2x2, 3x3): 3x3, stride 1, dilation 1, ungrouped; 2.25x fewer multiplies. */
    WINOGRAD(5),
    /**
     * avx512 build, stride 1 (not pointwise), any width: {@link #DIRECT} over padded-width rows, the extra
     * columns dropped at the store; bit-identical to {@link #PADDED}.
     */
    WIDE(6),
    /**
     * avx512 build with k/groups a multiple of 32, avx2 build with k/groups a multiple of 16; output width at
     * most 14: output channels in the vector lanes, one output row (avx2: up to 6 outputs of it) per tile;
     * bit-identical to {@link #PADDED} / {@link #IM2COL}.
     */
    LANES(7),
    /**
     * avx512 and avx2 builds, 3x3 stride 1 ungrouped, channel counts multiples of 16: Winograd F(4x4, 3x3) with the
     * channels in the vector lanes, 4x fewer multiplies than direct (F(2x2): 2.25x), float error a few 1e-6
     * relative. Automatic with at least 32 channels each way and outputs up to 32 x 32 (in the avx512 build
     * also 16 one way and 32 the other at 24-32 px, sibling convolutions run as one; in the avx2 build from
     * 16 channels at 20-32 px).
     */
    WINOGRAD_F4(8);

    private final int code;

    ConvAlgo(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ConvAlgo ofCode(int code) {
        for (ConvAlgo a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown convolution algorithm code " + code);
    }
}
