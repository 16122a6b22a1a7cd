package archway.kernels;

import static archway.kernels.ConvTestBuffers.doubles;
import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.relativeError;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.ReluConvKernels;
import archway.bindings.cpu.SiblingConvKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sibling convolutions (one input, two filters, run as one convolution where a Winograd kernel applies)
 * against the two convolutions they replace: weight gradients bit for bit; outputs bit for bit where the
 * merged shape takes the single shapes' algorithm, otherwise (F(4x4) for 16 -> 16 + 16 in the avx512 build,
 * where each alone takes F(2x2)) against a double-precision reference; the data gradient (one sum over
 * both dy) against the double reference too, no worse than the two calls. Shapes: the
 * NB201 cell's siblings at 28, 14 and 7 px (Winograd tile rows and F(4x4)), an uneven split, and shapes
 * the merged kernels do not take (8 channels, odd sizes), which must fall back to two calls. Run under
 * every ISA build by {@code IsaVariantsTest}.
 */
class SiblingConvKernelTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("28px c16 16+16", new int[] {3, 16, 28, 16, 16}),
                Arguments.of("14px c32 32+32", new int[] {2, 32, 14, 32, 32}),
                Arguments.of("7px c64 64+64", new int[] {2, 64, 7, 64, 64}),
                Arguments.of("28px c16 16+32", new int[] {2, 16, 28, 16, 32}),
                Arguments.of("32px c16 32+16", new int[] {2, 16, 32, 32, 16}),
                Arguments.of("10px c8 8+8", new int[] {2, 8, 10, 8, 8}),
                Arguments.of("9px c16 16+16", new int[] {2, 16, 9, 16, 16}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void siblingsEqualTwoConvolutions(String name, int[] s) {
        int n = s[0], c = s[1], hw = s[2], k1 = s[3], k2 = s[4];
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc pair = Conv2dDesc.square(arena, n, c, hw, hw, k1 + k2, 3, 1, 1, 1, 1);
            Conv2dDesc d1 = Conv2dDesc.square(arena, n, c, hw, hw, k1, 3, 1, 1, 1, 1);
            Conv2dDesc d2 = Conv2dDesc.square(arena, n, c, hw, hw, k2, 3, 1, 1, 1, 1);
            Random rng = new Random(31);
            float[] x = random(rng, d1.inputSize()), w1 = random(rng, d1.weightSize()), w2 = random(rng, d2.weightSize());
            float[] dy1 = random(rng, d1.outputSize()), dy2 = random(rng, d2.outputSize());
            float[] dx0 = random(rng, d1.inputSize()), dw10 = random(rng, w1.length), dw20 = random(rng, w2.length);
            MemorySegment xs = segment(arena, x), w1s = segment(arena, w1), w2s = segment(arena, w2);
            MemorySegment dy1s = segment(arena, dy1), dy2s = segment(arena, dy2);
            String where = name + " (" + CpuLibrary.features() + ")";
            boolean sameForwardAlgorithm = ConvKernels.conv2dFwdChoice(pair) == ConvKernels.conv2dFwdChoice(d1)
                    && ConvKernels.conv2dFwdChoice(pair) == ConvKernels.conv2dFwdChoice(d2);
            for (boolean relu : new boolean[] {false, true}) {
                String tag = where + ", relu " + relu;
                MemorySegment y1 = segment(arena, new float[(int) d1.outputSize()]);
                MemorySegment y2 = segment(arena, new float[(int) d2.outputSize()]);
                SiblingConvKernels.forward(pair, k1, relu, xs, w1s, w2s, y1, y2);
                float[] y1Two = single(arena, d1, relu, xs, w1s), y2Two = single(arena, d2, relu, xs, w2s);
                if (sameForwardAlgorithm) {
                    assertArrayEquals(y1Two, floats(y1, d1.outputSize()), tag + ": y1");
                    assertArrayEquals(y2Two, floats(y2, d2.outputSize()), tag + ": y2");
                } else {  // the pair takes another Winograd tiling than the single shapes: equal to rounding
                    float[] xr = relu ? relu(x) : x;
                    closeToReference(floats(y1, d1.outputSize()), y1Two, ConvReference.forward(d1, doubles(xr), doubles(w1)),
                            tag + ": y1");
                    closeToReference(floats(y2, d2.outputSize()), y2Two, ConvReference.forward(d2, doubles(xr), doubles(w2)),
                            tag + ": y2");
                }

                for (boolean acc : new boolean[] {false, true}) {
                    String at = tag + ", accumulate " + acc;
                    // Weight gradients: bit for bit against the single convolutions.
                    MemorySegment dw1 = segment(arena, dw10.clone()), dw2 = segment(arena, dw20.clone());
                    SiblingConvKernels.backwardFilter(pair, k1, relu, xs, dy1s, dy2s, dw1, dw2, acc);
                    MemorySegment dw1Ref = segment(arena, dw10.clone()), dw2Ref = segment(arena, dw20.clone());
                    filter(d1, relu, xs, dy1s, dw1Ref, acc);
                    filter(d2, relu, xs, dy2s, dw2Ref, acc);
                    assertArrayEquals(floats(dw1Ref, w1.length), floats(dw1, w1.length), at + ": dw1");
                    assertArrayEquals(floats(dw2Ref, w2.length), floats(dw2, w2.length), at + ": dw2");

                    // Data gradient: against the double reference, and no worse than the two calls.
                    double[] expected = expectedDx(pair, d1, d2, x, w1, w2, dy1, dy2, dx0, relu, acc);
                    MemorySegment dx = segment(arena, dx0.clone());
                    SiblingConvKernels.backwardData(pair, k1, relu ? xs : null, dy1s, dy2s, w1s, w2s, dx, acc);
                    MemorySegment dxTwo = segment(arena, dx0.clone());
                    data(d1, relu, xs, dy1s, w1s, dxTwo, acc);
                    data(d2, relu, xs, dy2s, w2s, dxTwo, true);
                    closeToReference(floats(dx, x.length), floats(dxTwo, x.length), expected, at + ": dx");
                }
            }
        }
    }

    /**
     * Within 2e-5 of the double reference (relative to its largest value) and within 32x the two calls'
     * error: the bound {@code Conv2dAlgorithmsTest} sets F(4x4) against the direct kernels, as the pair may
     * take F(4x4) where each convolution alone takes F(2x2) (measured: 4.7e-6 against 1.8e-7 at 28 px).
     */
    private static void closeToReference(float[] got, float[] twoCalls, double[] expected, String what) {
        double err = relativeError(got, expected), errTwo = relativeError(twoCalls, expected);
        assertTrue(err < 32 * errTwo + 1e-7 && err < 2e-5, what + " error " + err + " against two calls' " + errTwo);
    }

    private static float[] relu(float[] x) {
        float[] r = x.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = r[i] > 0f ? r[i] : 0f;
        }
        return r;
    }

    /**
     * The NB201 cell's pairs (28, 14 and 7 px) run as one call in every pass in the vector builds, so the
     * comparisons above exercise the merged kernels there; the baseline build runs two calls.
     */
    @Test
    void vectorBuildsMergeTheNb201Pairs() {
        boolean vector = CpuLibrary.features().startsWith("avx");
        try (Arena arena = Arena.ofConfined()) {
            for (int[] s : new int[][] {{64, 16, 28, 16}, {64, 32, 14, 32}, {64, 64, 7, 64}}) {
                Conv2dDesc pair = Conv2dDesc.square(arena, s[0], s[1], s[2], s[2], 2 * s[3], 3, 1, 1, 1, 1);
                for (SiblingConvKernels.Pass p : SiblingConvKernels.Pass.values()) {
                    Enum<?> merged = SiblingConvKernels.merged(pair, s[3], p);
                    assertTrue(vector == (merged != null), java.util.Arrays.toString(s) + " " + p + ": merged " + merged
                            + " in " + CpuLibrary.features());
                }
            }
        }
    }

    @Test
    void aSplitLeavingAConvolutionNoChannelsIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc pair = Conv2dDesc.square(arena, 1, 16, 8, 8, 16, 3, 1, 1, 1, 1);
            MemorySegment x = segment(arena, new float[(int) pair.inputSize()]);
            MemorySegment w = segment(arena, new float[(int) pair.weightSize()]);
            MemorySegment y = segment(arena, new float[(int) pair.outputSize()]);
            assertThrows(IllegalArgumentException.class, () -> SiblingConvKernels.forward(pair, 16, false, x, w, w, y, y));
            assertThrows(IllegalArgumentException.class, () -> SiblingConvKernels.forward(pair, 0, false, x, w, w, y, y));
        }
    }

    private static float[] single(Arena arena, Conv2dDesc d, boolean relu, MemorySegment x, MemorySegment w) {
        MemorySegment y = segment(arena, new float[(int) d.outputSize()]);
        if (relu) {
            ReluConvKernels.forward(d, x, w, y);
        } else {
            ConvKernels.conv2dFwd(d, x, w, y);
        }
        return floats(y, d.outputSize());
    }

    private static void filter(Conv2dDesc d, boolean relu, MemorySegment x, MemorySegment dy, MemorySegment dw, boolean acc) {
        if (relu) {
            ReluConvKernels.backwardFilter(d, x, dy, dw, acc);
        } else {
            ConvKernels.conv2dBwdFilter(d, x, dy, dw, acc);
        }
    }

    private static void data(Conv2dDesc d, boolean relu, MemorySegment x, MemorySegment dy, MemorySegment w,
                             MemorySegment dx, boolean acc) {
        if (relu) {
            ReluConvKernels.backwardData(d, x, dy, w, dx, acc);
        } else {
            ConvKernels.conv2dBwdData(d, dy, w, dx, acc);
        }
    }

    private static double[] expectedDx(Conv2dDesc pair, Conv2dDesc d1, Conv2dDesc d2, float[] x, float[] w1, float[] w2,
                                       float[] dy1, float[] dy2, float[] dx0, boolean relu, boolean acc) {
        double[] g1 = ConvReference.backwardData(d1, doubles(dy1), doubles(w1));
        double[] g2 = ConvReference.backwardData(d2, doubles(dy2), doubles(w2));
        double[] e = new double[x.length];
        Arrays.setAll(e, i -> (relu && !(x[i] > 0f) ? 0.0 : g1[i] + g2[i]) + (acc ? dx0[i] : 0.0));
        return e;
    }
}
