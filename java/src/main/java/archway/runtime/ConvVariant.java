package archway.runtime;

import java.util.Locale;

/**
 * The forward convolution implementations of the CPU backend, named for benchmarks and tests
 * ({@code nas bench kernel --variant}). {@link #AUTO} is what plans use: the backend's choice per shape.
 * Which ISA build (baseline, avx2, avx512) runs them is chosen per process (ARCHWAY_ISA, {@link Devices}).
 */
public enum ConvVariant {
    /** The backend's choice for the shape and ISA build. */
    AUTO,
    /** im2col rows packed straight into GEMM panels; any shape. */
    IM2COL,
    /** Stride 1 (not pointwise): taps read as slices of a zero-padded copy of the input. */
    PADDED,
    /** avx512 build, stride 1, output width a multiple of 16 (or 8): no input packing. */
    DIRECT,
    /** One input channel per group: direct per-channel correlation. */
    DEPTHWISE,
    /** Winograd F(2x2, 3x3): 3x3, stride 1, dilation 1, ungrouped; 2.25x fewer multiplies, never automatic. */
    WINOGRAD,
    /** avx512 build, stride 1 (not pointwise), any width: DIRECT over padded-width rows; bit-identical to PADDED. */
    WIDE;

    /** Command-line spelling (lower case). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConvVariant parse(String s) {
        for (ConvVariant v : values()) {
            if (v.cliName().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown convolution variant '" + s
                + "' (known: auto, im2col, padded, direct, depthwise, winograd)");
    }
}
