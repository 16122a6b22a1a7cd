package archway.kernels;

import static archway.kernels.ConvTestBuffers.doubles;
import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.relativeError;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** CPU conv2d forward / data gradient / weight gradient against the double-precision reference. */
class Conv2dKernelTest {
    /** float32 sums of up to ~600 terms against a double reference. */
    private static final double TOLERANCE = 1e-4;

    /** n, c, h, w, k, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                shape("odd image, c3 -> k5", 3, 3, 7, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("stride 2, pad 0, groups 2", 1, 4, 9, 8, 6, 3, 3, 2, 2, 0, 0, 1, 1, 2),
                shape("dilation 2, pad 2", 3, 4, 10, 9, 4, 3, 3, 1, 1, 2, 2, 2, 2, 1),
                shape("1x1 grouped", 2, 6, 6, 7, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2),
                shape("1x1 pointwise", 1, 16, 8, 8, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                shape("1x1 stride 2", 2, 8, 7, 6, 8, 1, 1, 2, 2, 0, 0, 1, 1, 1),
                shape("depthwise 5x5 stride 2", 2, 8, 11, 9, 8, 5, 5, 2, 2, 2, 2, 1, 1, 8),
                shape("depthwise 3x3 dilation 2", 3, 5, 9, 7, 5, 3, 3, 1, 1, 2, 2, 2, 2, 5),
                shape("depthwise 3x3 stride 2", 1, 4, 8, 8, 4, 3, 3, 2, 2, 1, 1, 1, 1, 4),
                shape("depthwise 5x5 dilation 2, wide image", 2, 3, 6, 37, 3, 5, 5, 1, 1, 4, 4, 2, 2, 3),
                shape("depthwise multiplier 2", 2, 3, 8, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3),
                shape("asymmetric kernel / stride / pad / dilation", 2, 3, 6, 5, 4, 3, 2, 2, 1, 1, 0, 1, 2, 1),
                shape("channel edges 40 -> 70", 2, 40, 6, 6, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("depth beyond one K block", 1, 32, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("large padding", 1, 2, 4, 4, 3, 3, 3, 1, 1, 2, 2, 1, 1, 1),
                shape("nb201 3x3 32x32", 2, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("grouped 3x3 stride 1", 2, 6, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2),
                shape("3x5 stride 1, uneven pad, dilation 2x1", 2, 3, 9, 8, 5, 3, 5, 1, 1, 2, 1, 2, 1, 1),
                shape("padding beyond the kernel extent", 1, 2, 4, 4, 3, 3, 3, 1, 1, 3, 3, 1, 1, 1),
                shape("nb201 3x3 8x8 c64", 3, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("3x3 16x16, 24 -> 20 (partial register tile)", 2, 24, 16, 16, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("3x3 8x8 grouped, 8 -> 12", 2, 8, 8, 8, 12, 3, 3, 1, 1, 1, 1, 1, 1, 2),
                shape("5x5 dilation 2 on 16x16", 1, 4, 16, 16, 6, 5, 5, 1, 1, 4, 4, 2, 2, 1),
                // Widths the 16-lane direct kernel cannot take (wide kernel), output channels a multiple of 16
                // (weight gradient with channels in the lanes: one, two and four ko vectors, row tails).
                shape("nb201 3x3 28x28", 2, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("nb201 3x3 14x14 c32", 2, 32, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("nb201 3x3 7x7 c64", 2, 64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("grouped 3x3, 16 outputs per group, 5 inputs per group", 2, 10, 9, 11, 32, 3, 3, 1, 1, 1, 1, 1, 1, 2),
                shape("5x3, dilation 2x1, no padding, 48 outputs", 2, 3, 12, 10, 48, 5, 3, 1, 1, 0, 0, 2, 1, 1),
                shape("1x3 kernel, 7 -> 96", 1, 7, 5, 6, 96, 1, 3, 1, 1, 0, 1, 1, 1, 1),
                shape("3x3 on a 1x1 image", 3, 4, 1, 1, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("3x3 on a 2x40 strip", 1, 2, 2, 40, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                // Strided convolutions through phase planes: the NB201 reductions, odd sizes, stride 3.
                shape("nb201 reduction 28x28, 16 -> 32, stride 2", 2, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                shape("nb201 reduction 14x14, 32 -> 64, stride 2", 2, 32, 14, 14, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                shape("stride 3, dilation 2, 5x5, odd image", 1, 4, 13, 14, 8, 5, 5, 3, 3, 2, 2, 2, 2, 1),
                shape("stride 2x1, grouped, 16 per group", 2, 6, 9, 7, 32, 3, 3, 2, 1, 1, 1, 1, 1, 2),
                // Column stride 2 split by permutes, 32 input columns at a time: an odd width, and a width
                // past one 32-column chunk (uneven phase lengths either way).
                shape("stride 2, odd 27x27, 16 -> 32", 1, 16, 27, 27, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                shape("stride 2, 9x37 (two column chunks), 16 -> 32", 1, 16, 9, 37, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                // Winograd with channels in the lanes (multiples of 16): odd and non-square images, edge tiles,
                // no padding and padding 2 (its data gradient has padding 0), rows wider than one vector.
                shape("winograd lanes 16 -> 32, odd 9x11, no padding", 2, 16, 9, 11, 32, 3, 3, 1, 1, 0, 0, 1, 1, 1),
                shape("winograd lanes 32 -> 48, 5x5, padding 2", 2, 32, 5, 5, 48, 3, 3, 1, 1, 2, 2, 1, 1, 1),
                shape("winograd lanes 48 -> 32, 20x17", 1, 48, 20, 17, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                // Winograd F(4x4, 3x3) (channels in the lanes, c and k >= 64, outputs up to 8 x 8): partial
                // tiles, both paddings, run-time channel counts and one output-channel vector per register
                // tile (96 -> 80), an image group split over the batch (9 images of 4 tiles, 8 per group).
                shape("winograd F(4x4) 64 -> 64, 5x6, 9 images", 9, 64, 5, 6, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                shape("winograd F(4x4) 96 -> 80, 8x8, no padding", 2, 96, 8, 8, 80, 3, 3, 1, 1, 0, 0, 1, 1, 1),
                shape("winograd F(4x4) 64 -> 128, 6x6, padding 2", 2, 64, 6, 6, 128, 3, 3, 1, 1, 2, 2, 1, 1, 1),
                // Winograd with a tile row in the lanes (12 to 16 tiles per row): odd widths, both paddings.
                shape("winograd rows 16 -> 16, 26x27, no padding", 1, 16, 26, 27, 16, 3, 3, 1, 1, 0, 0, 1, 1, 1),
                shape("winograd rows 16 -> 32, 21x23, padding 2", 1, 16, 21, 23, 32, 3, 3, 1, 1, 2, 2, 1, 1, 1),
                shape("winograd rows 16 -> 16, 12 tiles per row (packed rows)", 1, 16, 10, 24, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                // The scattered data gradient (16 input channels per vector): a 5x3 kernel, strides 2 and 3,
                // dilation 2 on one axis, taps that stop short of the padded edge.
                shape("scatter 16 -> 8, 5x3, stride 2x3, dilation 1x2", 2, 16, 11, 13, 8, 5, 3, 2, 3, 2, 1, 1, 2, 1));
    }

    private static Arguments shape(String name, int... s) {
        return Arguments.of(name, s);
    }

    private static Conv2dDesc desc(Arena arena, int[] s) {
        return Conv2dDesc.of(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void matchesReference(String name, int[] s) {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = desc(arena, s);
            Random rng = new Random(11);
            float[] x = random(rng, d.inputSize()), w = random(rng, d.weightSize()), dy = random(rng, d.outputSize());
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), dys = segment(arena, dy);
            MemorySegment y = segment(arena, random(rng, d.outputSize()));
            MemorySegment dx = segment(arena, random(rng, d.inputSize()));
            MemorySegment dw = segment(arena, random(rng, d.weightSize()));

            ConvKernels.conv2dFwd(d, xs, ws, y);
            ConvKernels.conv2dBwdData(d, dys, ws, dx, false);
            ConvKernels.conv2dBwdFilter(d, xs, dys, dw, false);

            double fwdErr = relativeError(floats(y, d.outputSize()), ConvReference.forward(d, doubles(x), doubles(w)));
            double dataErr = relativeError(floats(dx, d.inputSize()), ConvReference.backwardData(d, doubles(dy), doubles(w)));
            double filterErr = relativeError(floats(dw, d.weightSize()),
                    ConvReference.backwardFilter(d, doubles(x), doubles(dy)));
            assertTrue(fwdErr < TOLERANCE, d + ": forward relative error " + fwdErr);
            assertTrue(dataErr < TOLERANCE, d + ": data gradient relative error " + dataErr);
            assertTrue(filterErr < TOLERANCE, d + ": weight gradient relative error " + filterErr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void accumulateAddsToExistingGradients(String name, int[] s) {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = desc(arena, s);
            Random rng = new Random(5);
            float[] x = random(rng, d.inputSize()), w = random(rng, d.weightSize()), dy = random(rng, d.outputSize());
            float[] dx0 = random(rng, d.inputSize()), dw0 = random(rng, d.weightSize());
            MemorySegment dx = segment(arena, dx0), dw = segment(arena, dw0);
            ConvKernels.conv2dBwdData(d, segment(arena, dy), segment(arena, w), dx, true);
            ConvKernels.conv2dBwdFilter(d, segment(arena, x), segment(arena, dy), dw, true);
            double[] dxRef = ConvReference.backwardData(d, doubles(dy), doubles(w));
            double[] dwRef = ConvReference.backwardFilter(d, doubles(x), doubles(dy));
            for (int i = 0; i < dxRef.length; i++) {
                dxRef[i] += dx0[i];
            }
            for (int i = 0; i < dwRef.length; i++) {
                dwRef[i] += dw0[i];
            }
            assertTrue(relativeError(floats(dx, d.inputSize()), dxRef) < TOLERANCE, d + ": accumulated dx");
            assertTrue(relativeError(floats(dw, d.weightSize()), dwRef) < TOLERANCE, d + ": accumulated dweight");
        }
    }

    @Test
    void writesStayInsideTheirBuffers() {
        int guard = 4096;
        for (int[] s : new int[][] {{3, 3, 7, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {2, 8, 11, 9, 8, 5, 5, 2, 2, 2, 2, 1, 1, 8},
                {2, 40, 6, 6, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {2, 6, 6, 7, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2},
                {2, 32, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {3, 4, 1, 1, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1},
                {1, 5, 3, 2, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {1, 32, 5, 9, 48, 3, 3, 1, 1, 2, 2, 1, 1, 1},
                {2, 16, 9, 9, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1}}) {
            try (Arena arena = Arena.ofConfined()) {
                Conv2dDesc d = desc(arena, s);
                Random rng = new Random(3);
                MemorySegment x = segment(arena, random(rng, d.inputSize()));
                MemorySegment w = segment(arena, random(rng, d.weightSize()));
                MemorySegment dy = segment(arena, random(rng, d.outputSize()));
                MemorySegment[] outs = new MemorySegment[3];
                long[] sizes = {d.outputSize(), d.inputSize(), d.weightSize()};
                for (int i = 0; i < 3; i++) {
                    outs[i] = arena.allocate(ValueLayout.JAVA_FLOAT, sizes[i] + 2L * guard);
                    outs[i].fill((byte) 0x7f);
                }
                ConvKernels.conv2dFwd(d, x, w, inner(outs[0], guard, sizes[0]));
                ConvKernels.conv2dBwdData(d, dy, w, inner(outs[1], guard, sizes[1]), false);
                ConvKernels.conv2dBwdFilter(d, x, dy, inner(outs[2], guard, sizes[2]), false);
                for (int i = 0; i < 3; i++) {
                    for (long j = 0; j < guard; j++) {
                        assertEquals((byte) 0x7f, outs[i].get(ValueLayout.JAVA_BYTE, j), d + ": wrote before buffer " + i);
                        assertEquals((byte) 0x7f, outs[i].get(ValueLayout.JAVA_BYTE,
                                (sizes[i] + 2L * guard) * Float.BYTES - 1 - j), d + ": wrote after buffer " + i);
                    }
                }
            }
        }
    }

    private static MemorySegment inner(MemorySegment s, int guard, long count) {
        return s.asSlice((long) guard * Float.BYTES, count * Float.BYTES);
    }

    @Test
    void runsAreBitIdentical() {
        for (int[] s : new int[][] {{8, 16, 12, 12, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {8, 16, 12, 12, 16, 3, 3, 2, 2, 1, 1, 1, 1, 16},
                {5, 12, 9, 9, 12, 1, 1, 1, 1, 0, 0, 1, 1, 1}}) {
            try (Arena arena = Arena.ofConfined()) {
                Conv2dDesc d = desc(arena, s);
                Random rng = new Random(17);
                MemorySegment x = segment(arena, random(rng, d.inputSize()));
                MemorySegment w = segment(arena, random(rng, d.weightSize()));
                MemorySegment dy = segment(arena, random(rng, d.outputSize()));
                float[][] first = run(arena, d, x, w, dy), second = run(arena, d, x, w, dy);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(first[i], second[i], d + ": output " + i + " differs between runs");
                }
            }
        }
    }

    private static float[][] run(Arena arena, Conv2dDesc d, MemorySegment x, MemorySegment w, MemorySegment dy) {
        MemorySegment y = arena.allocate(ValueLayout.JAVA_FLOAT, d.outputSize());
        MemorySegment dx = arena.allocate(ValueLayout.JAVA_FLOAT, d.inputSize());
        MemorySegment dw = arena.allocate(ValueLayout.JAVA_FLOAT, d.weightSize());
        ConvKernels.conv2dFwd(d, x, w, y);
        ConvKernels.conv2dBwdData(d, dy, w, dx, false);
        ConvKernels.conv2dBwdFilter(d, x, dy, dw, false);
        return new float[][] {floats(y, d.outputSize()), floats(dx, d.inputSize()), floats(dw, d.weightSize())};
    }

    @Test
    void wrongBufferSizesThrowBeforeTheNativeCall() {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = Conv2dDesc.square(arena, 2, 4, 6, 6, 8, 3, 1, 1, 1, 1);
            MemorySegment x = arena.allocate(ValueLayout.JAVA_FLOAT, d.inputSize());
            MemorySegment w = arena.allocate(ValueLayout.JAVA_FLOAT, d.weightSize());
            MemorySegment y = arena.allocate(ValueLayout.JAVA_FLOAT, d.outputSize());
            MemorySegment shortX = arena.allocate(ValueLayout.JAVA_FLOAT, d.inputSize() - 1);
            MemorySegment shortW = arena.allocate(ValueLayout.JAVA_FLOAT, d.weightSize() - 1);
            MemorySegment shortY = arena.allocate(ValueLayout.JAVA_FLOAT, d.outputSize() - 1);
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dFwd(d, shortX, w, y));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dFwd(d, x, shortW, y));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dFwd(d, x, w, shortY));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dFwd(d, x, w, MemorySegment.NULL));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dBwdData(d, shortY, w, x, false));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dBwdData(d, y, shortW, x, false));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dBwdData(d, y, w, shortX, true));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dBwdFilter(d, shortX, y, w, false));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dBwdFilter(d, x, shortY, w, false));
            assertThrows(IllegalArgumentException.class, () -> ConvKernels.conv2dBwdFilter(d, x, y, shortW, true));
        }
    }
}
