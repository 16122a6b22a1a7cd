package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.Activation;
import archway.bindings.cpu.ActivationKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** relu, sigmoid, hswish, hsigmoid against double references; derivatives against finite differences. */
class ActivationKernelsTest {
    static double ref(Activation a, double x) {
        return switch (a) {
            case RELU -> Math.max(x, 0);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case HSWISH -> x * Math.min(Math.max(x + 3, 0), 6) / 6;
            case HSIGMOID -> Math.min(Math.max(x + 3, 0), 6) / 6;
        };
    }

    static double[] ref(Activation a, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = ref(a, x[i]);
        }
        return y;
    }

    /** Inputs in [-5, 5] kept 0.01 away from the kinks at 0 and +-3, where finite differences are meaningless. */
    static double[] awayFromKinks(Random r, int n) {
        double[] x = randn(r, n, 2.5);
        for (int i = 0; i < n; i++) {
            for (double k : new double[] {0, 3, -3}) {
                if (Math.abs(x[i] - k) < 0.01) {
                    x[i] = (float) (k + 0.02);
                }
            }
        }
        return x;
    }

    @Test
    void forwardAndBackwardMatchReferences() {
        Random r = new Random(11);
        for (Activation a : Activation.values()) {
            for (int n : new int[] {1, 17, 1031, 70_001}) {
                try (Arena arena = Arena.ofConfined()) {
                    double[] x = awayFromKinks(r, n), dy = randn(r, n, 1);
                    MemorySegment sx = floats(arena, x), y = zeros(arena, n), dx = zeros(arena, n), sdy = floats(arena, dy);
                    ActivationKernels.actFwd(a, sx, y, n);
                    assertClose(ref(a, x), read(y), 1e-6, a + " fwd n=" + n);
                    ActivationKernels.actBwd(a, sx, sdy, dx, n, false);
                    // Elementwise: the gradient of sum(y dy) is dy_i f'(x_i); FD on a prefix keeps the test quick.
                    int m = Math.min(n, 300);
                    double[] xm = java.util.Arrays.copyOf(x, m), dym = java.util.Arrays.copyOf(dy, m);
                    double[] g = numericGrad(v -> ref(a, v), xm, dym, 1e-4);
                    assertClose(g, java.util.Arrays.copyOf(read(dx), m), 1e-5, a + " bwd n=" + n);
                    ActivationKernels.actBwd(a, sx, sdy, dx, n, true);
                    assertClose(KernelTesting.add(g, g), java.util.Arrays.copyOf(read(dx), m), 1e-5, a + " accumulate");
                }
            }
        }
    }

    @Test
    void kinkConventionsFollowPyTorch() {
        try (Arena arena = Arena.ofConfined()) {
            double[] x = {0, -3, 3};
            MemorySegment sx = floats(arena, x), ones = floats(arena, new double[] {1, 1, 1}), dx = zeros(arena, 3);
            ActivationKernels.actBwd(Activation.RELU, sx, ones, dx, 3, false);
            assertEquals(0f, read(dx)[0]);
            ActivationKernels.actBwd(Activation.HSIGMOID, sx, ones, dx, 3, false);
            assertEquals(0f, read(dx)[1]);
            assertEquals(0f, read(dx)[2]);
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = zeros(arena, 4), b = zeros(arena, 5);
            assertThrows(IllegalArgumentException.class, () -> ActivationKernels.actFwd(Activation.RELU, a, b, 5));
            assertThrows(IllegalArgumentException.class, () -> ActivationKernels.actBwd(Activation.SIGMOID, b, a, b, 5, false));
            assertThrows(NullPointerException.class, () -> ActivationKernels.actFwd(null, a, a, 4));
        }
    }
}
