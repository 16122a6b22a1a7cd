package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.SimplexKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Row-wise softmax and sparsemax with temperature against double references and finite differences. */
class SimplexKernelsTest {
    static double[] softmaxRef(double[] x, int rows, int cols, double t) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[r * cols + j] / t);
            }
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[r * cols + j] / t - m);
            }
            for (int j = 0; j < cols; j++) {
                y[r * cols + j] = Math.exp(x[r * cols + j] / t - m) / s;
            }
        }
        return y;
    }

    /** Sparsemax threshold of one row of z = x / t, by the sorted definition. */
    static double tau(double[] x, int off, int cols, double t) {
        double[] z = new double[cols];
        for (int j = 0; j < cols; j++) {
            z[j] = x[off + j] / t;
        }
        Arrays.sort(z);
        double cum = 0, tau = 0;
        for (int k = 1; k <= cols; k++) {
            double zk = z[cols - k];
            cum += zk;
            if (1 + k * zk > cum) {
                tau = (cum - 1) / k;
            }
        }
        return tau;
    }

    static double[] sparsemaxRef(double[] x, int rows, int cols, double t) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double tau = tau(x, r * cols, cols, t);
            for (int j = 0; j < cols; j++) {
                y[r * cols + j] = Math.max(x[r * cols + j] / t - tau, 0);
            }
        }
        return y;
    }

    @Test
    void softmaxForwardAndBackward() {
        Random r = new Random(61);
        for (double t : new double[] {1, 1.5, 0.3}) {
            for (int[] s : new int[][] {{1, 1}, {14, 5}, {3, 8}, {1000, 40}}) {
                int rows = s[0], cols = s[1], size = rows * cols;
                try (Arena arena = Arena.ofConfined()) {
                    double[] x = randn(r, size, 2), dy = randn(r, size, 1);
                    MemorySegment y = zeros(arena, size), dx = zeros(arena, size);
                    SimplexKernels.softmaxRowsFwd(floats(arena, x), y, rows, cols, (float) t);
                    assertClose(softmaxRef(x, rows, cols, t), read(y), 1e-6, "softmax T=" + t);
                    SimplexKernels.softmaxRowsBwd(y, floats(arena, dy), dx, rows, cols, (float) t, false);
                    int m = Math.min(size, 200); // FD on the first rows keeps the large case quick
                    int fr = m / cols;
                    double[] g = numericGrad(v -> softmaxRef(v, fr, cols, t), Arrays.copyOf(x, fr * cols),
                            Arrays.copyOf(dy, fr * cols), 1e-5);
                    assertClose(g, Arrays.copyOf(read(dx), fr * cols), 1e-5, "softmax bwd T=" + t);
                    SimplexKernels.softmaxRowsBwd(y, floats(arena, dy), dx, rows, cols, (float) t, true);
                    assertClose(KernelTesting.add(g, g), Arrays.copyOf(read(dx), fr * cols), 1e-5, "softmax accumulate");
                }
            }
        }
    }

    @Test
    void sparsemaxSpecialRows() {
        double[][] rows = {
            {0.3, 0.3, 0.3, 0.3, 0.3},       // all equal: uniform
            {10, 0.1, -0.2, 0.4, 0},         // one dominant entry: one-hot
            {1, 1, 0.2, -1, 0.5},            // tie at the top
            {0.5, 0.2, 0.5, 0.2, 0.5},       // ties in and out of the support
            {0.1, 0.1, 0.1, 0.1, 2.6},       // boundary-ish with ties
            {-3, -3.2, -2.9, -3.05, -4}};    // all negative
        for (double t : new double[] {1, 1.5, 0.3}) {
            try (Arena arena = Arena.ofConfined()) {
                int cols = 5, n = rows.length;
                double[] x = new double[n * cols];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < cols; j++) {
                        x[i * cols + j] = (float) rows[i][j];
                    }
                }
                MemorySegment y = zeros(arena, x.length);
                SimplexKernels.sparsemaxRowsFwd(floats(arena, x), y, n, cols, (float) t);
                float[] got = read(y);
                assertClose(sparsemaxRef(x, n, cols, t), got, 1e-6, "sparsemax T=" + t);
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < cols; j++) {
                        assertTrue(got[i * cols + j] >= 0);
                        s += got[i * cols + j];
                    }
                    assertEquals(1, s, 1e-6, "row " + i + " sums to 1");
                }
                for (int j = 0; j < cols; j++) {
                    assertEquals(0.2f, got[j], 1e-6f, "all-equal row is uniform");
                }
                assertEquals(1f, got[cols], "dominant entry takes everything");
                for (int j = 1; j < cols; j++) {
                    assertEquals(0f, got[cols + j], "exact zeros outside the support");
                }
            }
        }
    }

    @Test
    void sparsemaxRandomRowsAndJacobian() {
        Random r = new Random(62);
        for (double t : new double[] {1, 1.5, 0.3}) {
            for (int cols : new int[] {1, 2, 5, 8, 17}) {
                int rows = 9, size = rows * cols;
                try (Arena arena = Arena.ofConfined()) {
                    double[] x = randn(r, size, 0.5), dy = randn(r, size, 1);
                    MemorySegment y = zeros(arena, size), dx = zeros(arena, size);
                    SimplexKernels.sparsemaxRowsFwd(floats(arena, x), y, rows, cols, (float) t);
                    double[] ref = sparsemaxRef(x, rows, cols, t);
                    assertClose(ref, read(y), 1e-6, "sparsemax T=" + t + " cols=" + cols);
                    SimplexKernels.sparsemaxRowsBwd(y, floats(arena, dy), dx, rows, cols, (float) t, false);
                    // Finite differences only on rows away from kinks (no z - tau within 1e-3 of 0).
                    double h = 1e-6;
                    float[] got = read(dx);
                    int checked = 0;
                    for (int row = 0; row < rows; row++) {
                        double tau = tau(x, row * cols, cols, t);
                        boolean smooth = true;
                        for (int j = 0; j < cols; j++) {
                            smooth &= Math.abs(x[row * cols + j] / t - tau) > 1e-3;
                        }
                        if (!smooth) {
                            continue;
                        }
                        double[] xr = Arrays.copyOfRange(x, row * cols, row * cols + cols);
                        double[] dyr = Arrays.copyOfRange(dy, row * cols, row * cols + cols);
                        double[] g = numericGrad(v -> sparsemaxRef(v, 1, cols, t), xr, dyr, h);
                        assertClose(g, Arrays.copyOfRange(got, row * cols, row * cols + cols), 1e-5,
                                "sparsemax Jacobian T=" + t + " row " + row);
                        checked++;
                    }
                    assertTrue(checked >= rows / 2, "too few smooth rows checked: " + checked);
                    float[] before = read(dx);
                    SimplexKernels.sparsemaxRowsBwd(y, floats(arena, dy), dx, rows, cols, (float) t, true);
                    float[] after = read(dx);
                    for (int i = 0; i < size; i++) {
                        assertEquals(2 * before[i], after[i], 1e-6 * (1 + Math.abs(before[i])));
                    }
                }
            }
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = zeros(arena, 10), b = zeros(arena, 9);
            assertThrows(IllegalArgumentException.class, () -> SimplexKernels.softmaxRowsFwd(a, b, 2, 5, 1));
            assertThrows(IllegalArgumentException.class, () -> SimplexKernels.softmaxRowsFwd(a, a, 2, 5, 0));
            assertThrows(IllegalArgumentException.class, () -> SimplexKernels.sparsemaxRowsFwd(a, a, 2, 5, Float.NaN));
            assertThrows(IllegalArgumentException.class, () -> SimplexKernels.sparsemaxRowsFwd(a, a, 0, 5, 1));
            assertThrows(IllegalArgumentException.class, () -> SimplexKernels.softmaxRowsBwd(a, b, a, 2, 5, 1, false));
            assertThrows(IllegalArgumentException.class, () -> SimplexKernels.sparsemaxRowsBwd(a, a, b, 2, 5, 1, false));
        }
    }
}
