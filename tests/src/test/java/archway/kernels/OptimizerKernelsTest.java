package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.OptimizerKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SGD (momentum, nesterov, weight decay) and Adam / AdamW steps against PyTorch's update rules in double. */
class OptimizerKernelsTest {
    private static final int N = 1037;

    @Test
    void sgdMatchesPyTorchRules() {
        Random r = new Random(71);
        for (boolean nesterov : new boolean[] {false, true}) {
            for (float momentum : new float[] {0f, 0.9f}) {
                if (nesterov && momentum == 0) {
                    continue;
                }
                try (Arena arena = Arena.ofConfined()) {
                    double[] w = randn(r, N, 1), buf = new double[N];
                    float lr = 0.1f, wd = 3e-4f;
                    MemorySegment sw = floats(arena, w), sbuf = momentum != 0 ? zeros(arena, N) : MemorySegment.NULL;
                    for (int step = 1; step <= 3; step++) {
                        double[] g = randn(r, N, 1);
                        for (int i = 0; i < N; i++) {
                            double gp = g[i] + wd * w[i];
                            if (momentum != 0) {
                                buf[i] = momentum * buf[i] + gp;   // zero start == PyTorch's buf = g' on step 1
                                gp = nesterov ? gp + momentum * buf[i] : buf[i];
                            }
                            w[i] -= lr * gp;
                        }
                        OptimizerKernels.sgdStep(sw, floats(arena, g), sbuf, N, lr, momentum, wd, nesterov);
                        String tag = "sgd momentum=" + momentum + " nesterov=" + nesterov + " step " + step;
                        assertClose(w, read(sw), 1e-6, tag);
                        if (momentum != 0) {
                            assertClose(buf, read(sbuf), 1e-6, tag + " buf");
                        }
                    }
                }
            }
        }
    }

    @Test
    void adamAndAdamWOneAndThreeSteps() {
        Random r = new Random(72);
        for (boolean decoupled : new boolean[] {false, true}) {
            for (int steps : new int[] {1, 3}) {
                try (Arena arena = Arena.ofConfined()) {
                    double[] w = randn(r, N, 1), m = new double[N], v = new double[N];
                    float lr = 1.5e-2f, b1 = 0.5f, b2 = 0.999f, eps = 1e-8f, wd = 1e-3f;
                    MemorySegment sw = floats(arena, w), sm = zeros(arena, N), sv = zeros(arena, N);
                    for (int t = 1; t <= steps; t++) {
                        double[] g = randn(r, N, 1);
                        double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                        for (int i = 0; i < N; i++) {
                            double gi = g[i];
                            if (decoupled) {
                                w[i] *= 1 - lr * wd;
                            } else {
                                gi += wd * w[i];
                            }
                            m[i] = b1 * m[i] + (1 - b1) * gi;
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                            w[i] -= lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps);
                        }
                        OptimizerKernels.adamStep(sw, floats(arena, g), sm, sv, N, lr, b1, b2, eps, wd, t, decoupled);
                    }
                    String tag = (decoupled ? "adamw" : "adam") + " " + steps + " steps";
                    assertClose(w, read(sw), 1e-6, tag + " w");
                    assertClose(m, read(sm), 1e-6, tag + " m");
                    assertClose(v, read(sv), 1e-5, tag + " v");
                }
            }
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = zeros(arena, 10), b = zeros(arena, 9);
            assertThrows(IllegalArgumentException.class, () -> OptimizerKernels.sgdStep(a, b, a, 10, 0.1f, 0.9f, 0, false));
            assertThrows(IllegalArgumentException.class,
                    () -> OptimizerKernels.sgdStep(a, a, MemorySegment.NULL, 10, 0.1f, 0.9f, 0, false));
            assertThrows(IllegalArgumentException.class,
                    () -> OptimizerKernels.sgdStep(a, a, MemorySegment.NULL, 10, 0.1f, 0f, 0, true));
            assertThrows(IllegalArgumentException.class, () -> OptimizerKernels.adamStep(a, a, a, b, 10, 0.1f, 0.9f, 0.999f, 1e-8f, 0, 1, false));
            assertThrows(IllegalArgumentException.class, () -> OptimizerKernels.adamStep(a, a, a, a, 10, 0.1f, 0.9f, 0.999f, 1e-8f, 0, 0, false));
            assertThrows(IllegalArgumentException.class, () -> OptimizerKernels.adamStep(a, a, a, a, 10, 0.1f, 1f, 0.999f, 1e-8f, 0, 1, true));
        }
    }
}
