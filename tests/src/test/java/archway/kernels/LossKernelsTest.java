package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.ints;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.NativeException;
import archway.bindings.cpu.LossKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Softmax cross-entropy: loss, probabilities, hit count and gradient against a double reference. */
class LossKernelsTest {
    static double meanCe(double[] logits, int[] labels, int n, int k) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, logits[i * k + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(logits[i * k + j] - m);
            }
            total += m + Math.log(s) - logits[i * k + labels[i]];
        }
        return total / n;
    }

    @Test
    void lossProbsCorrectAndGradient() {
        Random r = new Random(51);
        for (int[] s : new int[][] {{1, 1}, {1, 3}, {7, 10}, {33, 5}}) {
            int n = s[0], k = s[1];
            try (Arena arena = Arena.ofConfined()) {
                double[] logits = randn(r, n * k, 3);
                int[] labels = new int[n];
                int hits = 0;
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(k);
                    int am = 0;
                    for (int j = 1; j < k; j++) {
                        if (logits[i * k + j] > logits[i * k + am]) {
                            am = j;
                        }
                    }
                    hits += am == labels[i] ? 1 : 0;
                }
                MemorySegment sl = floats(arena, logits), lab = ints(arena, labels), probs = zeros(arena, n * k);
                MemorySegment loss = zeros(arena, 1), correct = arena.allocate(ValueLayout.JAVA_INT);
                LossKernels.softmaxXentFwd(sl, lab, probs, n, k, loss, correct);
                assertEquals(meanCe(logits, labels, n, k), loss.get(ValueLayout.JAVA_FLOAT, 0), 1e-6 * (1 + meanCe(logits, labels, n, k)));
                assertEquals(hits, correct.get(ValueLayout.JAVA_INT, 0));
                double[] p = new double[n * k];
                for (int i = 0; i < n; i++) {
                    double m = Double.NEGATIVE_INFINITY, z = 0;
                    for (int j = 0; j < k; j++) {
                        m = Math.max(m, logits[i * k + j]);
                    }
                    for (int j = 0; j < k; j++) {
                        z += Math.exp(logits[i * k + j] - m);
                    }
                    for (int j = 0; j < k; j++) {
                        p[i * k + j] = Math.exp(logits[i * k + j] - m) / z;
                    }
                }
                assertClose(p, read(probs), 1e-6, "probs");
                float scale = 0.7f;
                MemorySegment dl = zeros(arena, n * k);
                LossKernels.softmaxXentBwd(probs, lab, dl, n, k, scale, false);
                double[] g = numericGrad(v -> new double[] {meanCe(v, labels, n, k)}, logits, new double[] {scale}, 1e-4);
                assertClose(g, read(dl), 1e-5, "dlogits " + n + "x" + k);
                LossKernels.softmaxXentBwd(probs, lab, dl, n, k, scale, true);
                assertClose(KernelTesting.add(g, g), read(dl), 1e-5, "dlogits accumulate");
            }
        }
    }

    @Test
    void stableForHugeLogitsAndTiesCountFirstMaximum() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment logits = floats(arena, new double[] {1000, -1000, 5, 5, 5, 0});
            MemorySegment probs = zeros(arena, 6), loss = zeros(arena, 1), correct = arena.allocate(ValueLayout.JAVA_INT);
            LossKernels.softmaxXentFwd(logits, ints(arena, new int[] {1, 1}), probs, 2, 3, loss, correct);
            // Row 0: CE = 2000 (finite although p underflows); row 1: tie at 0 and 1, first max is 0 -> miss.
            double row1 = Math.log(2 + Math.exp(-5));
            assertEquals((2000 + row1) / 2, loss.get(ValueLayout.JAVA_FLOAT, 0), 1e-3);
            assertEquals(0, correct.get(ValueLayout.JAVA_INT, 0));
            for (float v : read(probs)) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void invalidArgumentsThrow() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment logits = zeros(arena, 6), probs = zeros(arena, 6), loss = zeros(arena, 1);
            MemorySegment correct = arena.allocate(ValueLayout.JAVA_INT);
            // Out-of-range labels are caught natively (ARCHWAY_EINVAL) before anything is written.
            assertThrows(NativeException.class,
                    () -> LossKernels.softmaxXentFwd(logits, ints(arena, new int[] {0, 3}), probs, 2, 3, loss, correct));
            assertThrows(NativeException.class,
                    () -> LossKernels.softmaxXentFwd(logits, ints(arena, new int[] {-1, 0}), probs, 2, 3, loss, correct));
            assertThrows(NativeException.class,
                    () -> LossKernels.softmaxXentBwd(probs, ints(arena, new int[] {0, 3}), logits, 2, 3, 1f, false));
            assertThrows(IllegalArgumentException.class,
                    () -> LossKernels.softmaxXentFwd(logits, ints(arena, new int[] {0}), probs, 2, 3, loss, correct));
            assertThrows(IllegalArgumentException.class,
                    () -> LossKernels.softmaxXentFwd(zeros(arena, 5), ints(arena, new int[] {0, 0}), probs, 2, 3, loss, correct));
            assertThrows(IllegalArgumentException.class,
                    () -> LossKernels.softmaxXentFwd(logits, ints(arena, new int[] {0, 0}), probs, 2, 3, MemorySegment.NULL, correct));
            assertThrows(IllegalArgumentException.class,
                    () -> LossKernels.softmaxXentBwd(probs, ints(arena, new int[] {0, 0}), zeros(arena, 5), 2, 3, 1f, false));
        }
    }
}
