package archway.kernels;

import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import archway.bindings.cpu.RandomKernels;
import archway.bindings.cpu.ZoKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ZO pieces against double references built from the CPU Philox stream. */
class ZoKernelsTest {
    @Test
    void directionIsTheNormalisedPhiloxDrawAndHasUnitNorm() {
        for (int d : new int[] {2, 37, 70_001}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment e = zeros(arena, d), z = zeros(arena, d);
                RandomKernels.normal(e, d, 11, 7, 3);
                ZoKernels.direction(z, d, 11, 7, 3);
                double norm = 0, zz = 0;
                for (int i = 0; i < d; i++) {
                    double v = e.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    norm += v * v;
                }
                norm = Math.sqrt(norm);
                float[] zf = read(z);
                for (int i = 0; i < d; i++) {
                    double expected = e.getAtIndex(ValueLayout.JAVA_FLOAT, i) / norm;
                    assertEquals(expected, zf[i], 1e-7 * Math.abs(expected) + 1e-12, "z[" + i + "] d=" + d);
                    zz += (double) zf[i] * zf[i];
                }
                assertEquals(1.0, zz, 1e-6, "||z||^2 d=" + d);
                MemorySegment other = zeros(arena, d);
                ZoKernels.direction(other, d, 11, 7, 4);
                assertNotEquals(zf[0], read(other)[0], "another step draws another direction");
            }
        }
    }

    @Test
    void twinsAreThetaPlusAndMinusMuZ() {
        Random r = new Random(5);
        int n = 50_001;
        double[] theta = randn(r, n, 1), z = randn(r, n, 1);
        float mu = 0.013f;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = floats(arena, theta), zs = floats(arena, z), plus = zeros(arena, n), minus = zeros(arena, n);
            ZoKernels.perturb(t, zs, mu, plus, minus, n);
            float[] p = read(plus), m = read(minus);
            for (int i = 0; i < n; i++) {
                double ep = theta[i] + mu * z[i], em = theta[i] - mu * z[i];
                assertEquals(ep, p[i], 1e-7 * (Math.abs(ep) + 1e-3), "plus[" + i + "]");
                assertEquals(em, m[i], 1e-7 * (Math.abs(em) + 1e-3), "minus[" + i + "]");
            }
            ZoKernels.perturb(t, zs, mu, t, MemorySegment.NULL, n);  // in place, plus only
            float[] inPlace = read(t);
            for (int i = 0; i < n; i++) {
                assertEquals(p[i], inPlace[i], "in-place plus[" + i + "]");
            }
        }
    }

    @Test
    void weightTermIsTheDotOfTheFloatDifferenceWithTheGradient() {
        Random r = new Random(6);
        int n = 200_003;
        double[] w = randn(r, n, 1), dw = randn(r, n, 1e-3), g = randn(r, n, 1);
        double[] twin = new double[n];
        for (int i = 0; i < n; i++) {
            twin[i] = (float) (w[i] + dw[i]);
        }
        try (Arena arena = Arena.ofConfined()) {
            double expected = 0, scale = 0;
            for (int i = 0; i < n; i++) {
                double diff = (float) twin[i] - (float) w[i];
                expected += diff * g[i];
                scale += Math.abs(diff * g[i]);
            }
            double got = ZoKernels.weightTerm(floats(arena, twin), floats(arena, w), floats(arena, g), n);
            assertEquals(expected, got, 1e-12 * scale);
        }
    }
}
