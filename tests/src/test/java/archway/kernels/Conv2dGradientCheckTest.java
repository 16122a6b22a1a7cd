package archway.kernels;

import static archway.kernels.ConvTestBuffers.doubles;
import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native conv2d gradients against central finite differences of L = sum(y * r), where y is the
 * double-precision reference forward. With dy = r the native backward must equal dL/dx and dL/dw.
 */
class Conv2dGradientCheckTest {
    private static final double STEP = 1e-3;
    /** Absolute tolerance relative to the gradient's scale: float32 backward vs double differences. */
    private static final double TOLERANCE = 2e-4;
    private static final int SAMPLES = 24;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("c3 -> k5, 7x5, n3", new int[] {3, 3, 7, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1}),
                Arguments.of("stride 2, pad 0, n1", new int[] {1, 4, 9, 8, 6, 3, 3, 2, 2, 0, 0, 1, 1, 1}),
                Arguments.of("dilation 2, pad 2, groups 2", new int[] {3, 4, 10, 9, 4, 3, 3, 1, 1, 2, 2, 2, 2, 2}),
                Arguments.of("1x1", new int[] {3, 5, 6, 5, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1}),
                Arguments.of("5x5 pad 2", new int[] {1, 2, 7, 6, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1}),
                Arguments.of("depthwise 5x5 stride 2", new int[] {3, 4, 9, 7, 4, 5, 5, 2, 2, 2, 2, 1, 1, 4}),
                Arguments.of("depthwise 3x3 dilation 2", new int[] {1, 3, 8, 9, 3, 3, 3, 1, 1, 2, 2, 2, 2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void gradientsMatchFiniteDifferences(String name, int[] s) {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = Conv2dDesc.of(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11],
                    s[12], s[13]);
            Random rng = new Random(23);
            float[] x = random(rng, d.inputSize()), w = random(rng, d.weightSize()), r = random(rng, d.outputSize());
            MemorySegment dx = segment(arena, new float[(int) d.inputSize()]);
            MemorySegment dw = segment(arena, new float[(int) d.weightSize()]);
            ConvKernels.conv2dBwdData(d, segment(arena, r), segment(arena, w), dx, false);
            ConvKernels.conv2dBwdFilter(d, segment(arena, x), segment(arena, r), dw, false);

            double[] xd = doubles(x), wd = doubles(w), rd = doubles(r);
            check(d, "dx", floats(dx, d.inputSize()), xd, () -> ConvReference.loss(d, xd, wd, rd), rng);
            check(d, "dweight", floats(dw, d.weightSize()), wd, () -> ConvReference.loss(d, xd, wd, rd), rng);
        }
    }

    /** Perturbs sampled entries of {@code param} in place and compares the difference quotient. */
    private static void check(Conv2dDesc d, String what, float[] analytic, double[] param,
                              java.util.function.DoubleSupplier loss, Random rng) {
        double scale = 1e-6;
        for (float v : analytic) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int sample = 0; sample < SAMPLES; sample++) {
            int i = sample == 0 ? 0 : sample == 1 ? param.length - 1 : rng.nextInt(param.length);
            double keep = param[i];
            param[i] = keep + STEP;
            double plus = loss.getAsDouble();
            param[i] = keep - STEP;
            double minus = loss.getAsDouble();
            param[i] = keep;
            double numeric = (plus - minus) / (2 * STEP);
            assertEquals(numeric, analytic[i], TOLERANCE * scale, d + ": " + what + "[" + i + "]");
        }
    }
}
