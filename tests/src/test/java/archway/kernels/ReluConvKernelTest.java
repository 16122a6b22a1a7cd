package archway.kernels;

import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import archway.bindings.cpu.Activation;
import archway.bindings.cpu.ActivationKernels;
import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
import archway.bindings.cpu.CpuLibrary;
import archway.bindings.cpu.ReluConvKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused input ReLU against its definition: a separate ReLU kernel, then the convolution (and for the
 * data gradient, the convolution's gradient into a buffer, then the ReLU backward into dx). The fused
 * kernels promise the same bits, so the comparison is exact, on every shape of {@link Conv2dKernelTest}
 * (each convolution path: direct, wide, padded, im2col, pointwise, depthwise, strided), with and without
 * accumulation into existing gradients. The inputs hold negatives, exact zeros of both signs and a NaN,
 * where ReLU and its gradient have edge cases.
 */
class ReluConvKernelTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("archway.kernels.Conv2dKernelTest#shapes")
    void fusedEqualsReluThenConvolutionBitForBit(String name, int[] s) {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = Conv2dDesc.of(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10],
                    s[11], s[12], s[13]);
            Random rng = new Random(17);
            float[] x = random(rng, d.inputSize());
            x[0] = 0f;
            x[x.length / 2] = -0f;
            x[x.length - 1] = Float.NaN;
            float[] w = random(rng, d.weightSize()), dy = random(rng, d.outputSize());
            float[] dx0 = random(rng, d.inputSize()), dw0 = random(rng, d.weightSize());
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), dys = segment(arena, dy);
            String where = name + " (" + CpuLibrary.features() + ")";

            // The definition: r = relu(x) stored, then the plain kernels.
            MemorySegment r = segment(arena, new float[x.length]);
            ActivationKernels.actFwd(Activation.RELU, xs, r, x.length);
            MemorySegment yRef = segment(arena, new float[(int) d.outputSize()]);
            ConvKernels.conv2dFwd(d, r, ws, yRef);
            MemorySegment y = segment(arena, new float[(int) d.outputSize()]);
            ReluConvKernels.forward(d, xs, ws, y);
            assertArrayEquals(floats(yRef, d.outputSize()), floats(y, d.outputSize()), where + ": forward");

            for (boolean acc : new boolean[] {false, true}) {
                MemorySegment g = segment(arena, new float[x.length]);
                ConvKernels.conv2dBwdData(d, dys, ws, g, false);
                MemorySegment dxRef = segment(arena, dx0.clone());
                ActivationKernels.actBwd(Activation.RELU, xs, g, dxRef, x.length, acc);
                MemorySegment dx = segment(arena, dx0.clone());
                ReluConvKernels.backwardData(d, xs, dys, ws, dx, acc);
                assertArrayEquals(floats(dxRef, x.length), floats(dx, x.length), where + ": data gradient, accumulate " + acc);

                MemorySegment dwRef = segment(arena, dw0.clone());
                ConvKernels.conv2dBwdFilter(d, r, dys, dwRef, acc);
                MemorySegment dw = segment(arena, dw0.clone());
                ReluConvKernels.backwardFilter(d, xs, dys, dw, acc);
                assertArrayEquals(floats(dwRef, w.length), floats(dw, w.length), where + ": weight gradient, accumulate " + acc);
            }
        }
    }
}
