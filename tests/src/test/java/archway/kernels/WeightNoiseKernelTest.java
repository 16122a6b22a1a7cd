package archway.kernels;

import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.bindings.cpu.RandomKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FlatNAS weight noise: w + sigma w eps with eps the Philox normal stream, in place or not. */
class WeightNoiseKernelTest {
    @Test
    void noiseIsMultiplicativeAndKeyedByItsStream() {
        Random r = new Random(7);
        int n = 100_003;
        double[] w = randn(r, n, 1);
        float sigma = 0.05f;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = floats(arena, w), out = zeros(arena, n), eps = zeros(arena, n);
            RandomKernels.normal(eps, n, 21, 13, 4);
            RandomKernels.weightNoise(ws, out, n, sigma, 21, 13, 4);
            float[] o = read(out), e = read(eps);
            double ratioMean = 0, ratioVar = 0;
            for (int i = 0; i < n; i++) {
                double expected = w[i] + (double) sigma * w[i] * e[i];
                assertEquals(expected, o[i], 2e-7 * Math.abs(expected) + 1e-12, "out[" + i + "]");
                double ratio = (o[i] - w[i]) / (sigma * w[i]);
                ratioMean += ratio / n;
                ratioVar += ratio * ratio / n;
            }
            // (out - w) / (sigma w) is the standard normal eps: mean 0, variance 1 (n = 1e5: 4 sigma bounds).
            assertEquals(0, ratioMean, 0.013);
            assertEquals(1, ratioVar, 0.02);
            RandomKernels.weightNoise(ws, ws, n, sigma, 21, 13, 4);  // in place gives the same values
            assertArrayEquals(o, read(ws));
        }
    }
}
