package archway.kernels;

import static archway.kernels.ConvTestBuffers.doubles;
import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.relativeError;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvBwdDataAlgo;
import archway.bindings.cpu.ConvBwdFilterAlgo;
import archway.bindings.cpu.ConvGradientAlgorithms;
import archway.bindings.cpu.ConvKernels;
import archway.bindings.cpu.CpuLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named gradient algorithm on every shape of {@link Conv2dKernelTest}, accumulating into existing
 * gradients, against the double-precision reference: where it applies it must match, where it does not it
 * must say so and leave the buffer alone; the automatic path must be one that applies and give its bits.
 * The GEMM algorithms apply to every shape, so each shape is checked by at least one.
 */
class Conv2dGradientAlgorithmsTest {
    private static final double TOLERANCE = 1e-4;
    private static final float SENTINEL = 12345f;

    @ParameterizedTest(name = "{0}")
    @MethodSource("archway.kernels.Conv2dKernelTest#shapes")
    void everyApplicableAlgorithmMatchesTheReference(String name, int[] s) {
        try (Arena arena = Arena.ofConfined()) {
            Conv2dDesc d = Conv2dDesc.of(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10],
                    s[11], s[12], s[13]);
            Random rng = new Random(23);
            float[] x = random(rng, d.inputSize()), w = random(rng, d.weightSize()), dy = random(rng, d.outputSize());
            float[] dx0 = random(rng, d.inputSize()), dw0 = random(rng, d.weightSize());
            double[] dxRef = ConvReference.backwardData(d, doubles(dy), doubles(w));
            double[] dwRef = ConvReference.backwardFilter(d, doubles(x), doubles(dy));
            for (int i = 0; i < dxRef.length; i++) {
                dxRef[i] += dx0[i];
            }
            for (int i = 0; i < dwRef.length; i++) {
                dwRef[i] += dw0[i];
            }
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), dys = segment(arena, dy);
            String where = name + " (" + CpuLibrary.features() + ")";

            ConvBwdDataAlgo dataChoice = ConvGradientAlgorithms.dataChoice(d);
            assertNotEquals(ConvBwdDataAlgo.AUTO, dataChoice);
            float[] chosen = null;
            for (ConvBwdDataAlgo a : ConvBwdDataAlgo.values()) {
                MemorySegment dx = segment(arena, dx0);
                boolean ok = ConvGradientAlgorithms.data(d, a, dys, ws, dx, true);
                if (a == ConvBwdDataAlgo.GEMM) {
                    assertTrue(ok, where + ": GEMM data gradient applies to every shape");
                }
                if (!ok) {
                    assertArrayEquals(dx0, floats(dx, d.inputSize()), where + ": " + a + " refused but wrote dx");
                    assertNotEquals(dataChoice, a, where + ": the automatic choice must apply");
                    continue;
                }
                float[] got = floats(dx, d.inputSize());
                double err = relativeError(got, dxRef);
                assertTrue(err < TOLERANCE, where + ": data gradient " + a + " relative error " + err);
                if (a == dataChoice) {
                    chosen = got;
                }
            }
            MemorySegment dxAuto = segment(arena, dx0);
            ConvKernels.conv2dBwdData(d, dys, ws, dxAuto, true);
            assertArrayEquals(chosen, floats(dxAuto, d.inputSize()), where + ": automatic data gradient = " + dataChoice);

            ConvBwdFilterAlgo filterChoice = ConvGradientAlgorithms.filterChoice(d);
            assertNotEquals(ConvBwdFilterAlgo.AUTO, filterChoice);
            float[] chosenW = null;
            for (ConvBwdFilterAlgo a : ConvBwdFilterAlgo.values()) {
                MemorySegment dw = segment(arena, dw0);
                boolean ok = ConvGradientAlgorithms.filter(d, a, xs, dys, dw, true);
                if (a == ConvBwdFilterAlgo.GEMM) {
                    assertTrue(ok, where + ": GEMM weight gradient applies to every shape");
                }
                if (!ok) {
                    assertArrayEquals(dw0, floats(dw, d.weightSize()), where + ": " + a + " refused but wrote dweight");
                    assertNotEquals(filterChoice, a, where + ": the automatic choice must apply");
                    continue;
                }
                float[] got = floats(dw, d.weightSize());
                double err = relativeError(got, dwRef);
                assertTrue(err < TOLERANCE, where + ": weight gradient " + a + " relative error " + err);
                if (a == filterChoice) {
                    chosenW = got;
                }
            }
            MemorySegment dwAuto = segment(arena, dw0);
            ConvKernels.conv2dBwdFilter(d, xs, dys, dwAuto, true);
            assertArrayEquals(chosenW, floats(dwAuto, d.weightSize()), where + ": automatic weight gradient = " + filterChoice);
        }
    }
}
