package archway.kernels;

import static archway.kernels.ConvTestBuffers.doubles;
import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.relativeError;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvAlgo;
import archway.bindings.cpu.ConvKernels;
import archway.bindings.cpu.CpuLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named forward convolution algorithm, on every shape of {@link Conv2dKernelTest}, against the
 * double-precision reference: where an algorithm applies it must match, where it does not it must say so
 * (and leave y alone), and the automatic choice must be one that applies and give its bits exactly.
 */
class Conv2dAlgorithmsTest {
    /** float32 sums of up to ~600 terms against a double reference (Winograd included: see below). */
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0}")
    @MethodSource("archway.kernels.Conv2dKernelTest#shapes")
    void everyApplicableAlgorithmMatchesTheReference(String name, int[] s) {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = Conv2dDesc.of(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10],
                    s[11], s[12], s[13]);
            Random rng = new Random(5);
            float[] x = random(rng, d.inputSize()), w = random(rng, d.weightSize());
            double[] expected = ConvReference.forward(d, doubles(x), doubles(w));
            MemorySegment xs = segment(arena, x), ws = segment(arena, w);
            ConvAlgo chosen = ConvKernels.conv2dFwdChoice(d);
            assertNotEquals(ConvAlgo.AUTO, chosen);
            float[] chosenResult = null;
            for (ConvAlgo algo : ConvAlgo.values()) {
                if (algo == ConvAlgo.AUTO) {
                    continue;
                }
                float sentinel = 12345f;
                float[] fill = new float[(int) d.outputSize()];
                java.util.Arrays.fill(fill, sentinel);
                MemorySegment y = segment(arena, fill);
                boolean applied = ConvKernels.conv2dFwd(d, algo, xs, ws, y);
                if (algo == ConvAlgo.IM2COL || algo == ConvAlgo.DEPTHWISE || algo == ConvAlgo.WINOGRAD) {
                    assertEquals(expectedToApply(algo, s), applied, algo + " applicability on " + name);
                }
                if (!applied) {
                    assertEquals(sentinel, floats(y, 1)[0], algo + " refused but wrote y");
                    assertTrue(algo != chosen, "the automatic choice " + chosen + " must apply");
                    continue;
                }
                float[] got = floats(y, d.outputSize());
                double err = relativeError(got, expected);
                assertTrue(err < TOLERANCE, algo + " on " + name + ": relative error " + err);
                if (algo == chosen) {
                    chosenResult = got;
                }
            }
            MemorySegment y = segment(arena, new float[(int) d.outputSize()]);
            ConvKernels.conv2dFwd(d, xs, ws, y);
            assertArrayEquals(chosenResult, floats(y, d.outputSize()), "automatic forward = " + chosen + " bit for bit");
        }
    }

    /** Shape rules of the algorithms that apply in every ISA variant (DIRECT and PADDED are checked by result only). */
    private static boolean expectedToApply(ConvAlgo algo, int[] s) {
        return switch (algo) {
            case IM2COL -> true;
            case DEPTHWISE -> s[1] == s[13];
            case WINOGRAD -> s[5] == 3 && s[6] == 3 && s[7] == 1 && s[8] == 1 && s[11] == 1 && s[12] == 1 && s[13] == 1;
            case AUTO, PADDED, DIRECT, WIDE, LANES, WINOGRAD_F4 -> throw new IllegalArgumentException(algo + " is not predicted");
        };
    }

    /**
     * WIDE and LANES sum in the GEMM's order (same FMA chain over the depth, same KC blocks added to y), so
     * their outputs agree bit for bit with PADDED (stride 1) and IM2COL (strided): a check no tolerance could give. Shapes: the NB201
     * widths the DIRECT kernel cannot take (28, 14, 7), a depth of three KC blocks, tiny and odd widths
     * whose 16-lane vectors span several output rows, dilation, grouping and an output channel count
     * that is not a multiple of the register tile.
     */
    @Test
    void wideEqualsPaddedBitForBit() {
        int[][] shapes = {
                // n, c, h, w, k, kernel, stride, pad, dilation, groups
                {3, 16, 28, 28, 16, 3, 1, 1, 1, 1}, {2, 32, 14, 14, 32, 3, 1, 1, 1, 1}, {2, 64, 7, 7, 64, 3, 1, 1, 1, 1},
                {1, 3, 5, 3, 5, 3, 1, 1, 1, 1}, {2, 4, 1, 1, 3, 3, 1, 1, 1, 1}, {1, 6, 9, 11, 10, 5, 1, 4, 2, 2},
                {2, 8, 13, 6, 12, 3, 1, 0, 1, 4}, {1, 2, 3, 40, 9, 3, 1, 1, 1, 1},
                // strided (phase planes), compared with IM2COL: the NB201 reduction convolutions, odd sizes,
                // stride 3 with dilation, a strided 1x1
                {2, 16, 28, 28, 32, 3, 2, 1, 1, 1}, {2, 32, 14, 14, 64, 3, 2, 1, 1, 1}, {1, 16, 32, 32, 32, 3, 2, 1, 1, 1},
                {2, 5, 11, 9, 16, 3, 2, 1, 1, 1}, {1, 4, 13, 14, 8, 5, 3, 2, 2, 2}, {2, 8, 9, 7, 16, 1, 2, 0, 1, 1}};
        int lanesChecked = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int[] s : shapes) {
                Conv2dDesc d = Conv2dDesc.square(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
                Random rng = new Random(s[1] * 131L + s[3]);
                MemorySegment xs = segment(arena, random(rng, d.inputSize())), ws = segment(arena, random(rng, d.weightSize()));
                MemorySegment yw = segment(arena, new float[(int) d.outputSize()]);
                MemorySegment yp = segment(arena, new float[(int) d.outputSize()]);
                org.junit.jupiter.api.Assumptions.assumeTrue(ConvKernels.conv2dFwd(d, ConvAlgo.WIDE, xs, ws, yw),
                        "WIDE needs the avx512 build; loaded: " + CpuLibrary.features());
                ConvAlgo same = s[6] == 1 ? ConvAlgo.PADDED : ConvAlgo.IM2COL;
                assertTrue(ConvKernels.conv2dFwd(d, same, xs, ws, yp), d + ": " + same + " applies");
                double err = relativeError(floats(yw, d.outputSize()),
                        ConvReference.forward(d, doubles(floats(xs, d.inputSize())), doubles(floats(ws, d.weightSize()))));
                assertTrue(err < TOLERANCE, d + ": relative error " + err);
                assertArrayEquals(floats(yp, d.outputSize()), floats(yw, d.outputSize()), d + ": WIDE = " + same + " bit for bit");
                MemorySegment yl = segment(arena, new float[(int) d.outputSize()]);
                if (ConvKernels.conv2dFwd(d, ConvAlgo.LANES, xs, ws, yl)) {
                    lanesChecked++;
                    assertArrayEquals(floats(yp, d.outputSize()), floats(yl, d.outputSize()), d + ": LANES = " + same);
                }
            }
        }
        if (CpuLibrary.features().startsWith("avx")) {  // LANES: the avx512 and avx2 builds
            assertTrue(lanesChecked >= 3, "LANES (32 output channels per group in avx512, 16 in avx2, width <= 14) "
                    + "checked on " + lanesChecked + " shapes");
        }
    }

    /**
     * Winograd's error on the NB201 shapes, against the double reference, stays within a small factor of
     * the direct kernel's. F(2x2, 3x3): within 8x, its transforms add at most 9 + 4 terms and halve by exact
     * powers of two. F(4x4, 3x3) (avx512 and avx2 builds): within 32x and under 2e-5 relative, its transforms
     * weigh terms by up to 25 and 1/24 (measured: about 17x, 6e-6 at 64 channels). A wrong transform entry
     * gives errors of order 1.
     */
    @Test
    void winogradErrorIsCloseToTheDirectKernelsOnNb201Shapes() {
        int[][] shapes = {{8, 16, 32, 32, 16}, {8, 32, 16, 16, 32}, {8, 64, 8, 8, 64}, {4, 16, 28, 28, 16}, {4, 64, 7, 7, 64},
            {4, 32, 14, 14, 32}};
        int f4Checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int[] sh : shapes) {
                Conv2dDesc d = Conv2dDesc.of(arena, sh[0], sh[1], sh[2], sh[3], sh[4], 3, 3, 1, 1, 1, 1, 1, 1, 1);
                Random rng = new Random(sh[1] * 31L + sh[2]);
                float[] x = random(rng, d.inputSize()), w = random(rng, d.weightSize());
                double[] expected = ConvReference.forward(d, doubles(x), doubles(w));
                MemorySegment xs = segment(arena, x), ws = segment(arena, w);
                MemorySegment yi = segment(arena, new float[(int) d.outputSize()]);
                assertTrue(ConvKernels.conv2dFwd(d, ConvAlgo.IM2COL, xs, ws, yi));
                double ei = relativeError(floats(yi, d.outputSize()), expected);
                String tag = "c=" + sh[1] + " " + sh[2] + "x" + sh[3] + " (" + CpuLibrary.features() + "): ";
                MemorySegment yw = segment(arena, new float[(int) d.outputSize()]);
                assertTrue(ConvKernels.conv2dFwd(d, ConvAlgo.WINOGRAD, xs, ws, yw));
                double e2 = relativeError(floats(yw, d.outputSize()), expected);
                assertTrue(e2 < 8 * ei + 1e-7, tag + "F(2x2) " + e2 + " vs im2col " + ei);
                if (ConvKernels.conv2dFwd(d, ConvAlgo.WINOGRAD_F4, xs, ws, yw)) {
                    double e4 = relativeError(floats(yw, d.outputSize()), expected);
                    assertTrue(e4 < 32 * ei + 1e-7 && e4 < 2e-5, tag + "F(4x4) " + e4 + " vs im2col " + ei);
                    f4Checked++;
                }
            }
        }
        if (!CpuLibrary.features().startsWith("baseline")) {
            assertEquals(shapes.length, f4Checked, "F(4x4) applies to every shape in the vector builds");
        }
    }
}
