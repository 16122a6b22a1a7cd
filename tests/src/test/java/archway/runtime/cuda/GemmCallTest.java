package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cuBLAS calls of the linear passes, executed by a double-precision column-major reference GEMM
 * (cuBLAS semantics) on the engine's row-major arrays, against the linear layer's formulas written
 * directly: y = x w^T, dx (+)= dy w, dw (+)= dy^T x.
 */
class GemmCallTest {
    private static final int N = 3, IN = 5, OUT = 4;

    /** C = op(A) op(B) + beta C, all column-major with leading dimensions, as cublasSgemm defines it. */
    private static void gemm(GemmCall g, double[] a, double[] b, double[] c) {
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double s = 0;
                for (int p = 0; p < g.k(); p++) {
                    double av = g.transA() ? a[p + i * g.lda()] : a[i + p * g.lda()];
                    double bv = g.transB() ? b[j + p * g.ldb()] : b[p + j * g.ldb()];
                    s += av * bv;
                }
                c[i + j * g.ldc()] = s + g.beta() * c[i + j * g.ldc()];
            }
        }
    }

    private static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    @Test
    void forwardComputesXTimesWTransposed() {
        Random r = new Random(1);
        double[] x = random(r, N * IN), w = random(r, OUT * IN), y = random(r, N * OUT);
        gemm(GemmCall.linearForward(N, IN, OUT), w, x, y);
        for (int i = 0; i < N; i++) {
            for (int o = 0; o < OUT; o++) {
                double s = 0;
                for (int k = 0; k < IN; k++) {
                    s += x[i * IN + k] * w[o * IN + k];
                }
                assertEquals(s, y[i * OUT + o], 1e-12);
            }
        }
    }

    @Test
    void backwardDataAccumulatesDyTimesW() {
        Random r = new Random(2);
        double[] dy = random(r, N * OUT), w = random(r, OUT * IN), dx = random(r, N * IN), before = dx.clone();
        gemm(GemmCall.linearBackwardData(N, IN, OUT, true), w, dy, dx);
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < IN; k++) {
                double s = before[i * IN + k];
                for (int o = 0; o < OUT; o++) {
                    s += dy[i * OUT + o] * w[o * IN + k];
                }
                assertEquals(s, dx[i * IN + k], 1e-12);
            }
        }
    }

    @Test
    void backwardFilterOverwritesWithDyTransposedTimesX() {
        Random r = new Random(3);
        double[] dy = random(r, N * OUT), x = random(r, N * IN), dw = random(r, OUT * IN);
        gemm(GemmCall.linearBackwardFilter(N, IN, OUT, false), x, dy, dw);
        for (int o = 0; o < OUT; o++) {
            for (int k = 0; k < IN; k++) {
                double s = 0;
                for (int i = 0; i < N; i++) {
                    s += dy[i * OUT + o] * x[i * IN + k];
                }
                assertEquals(s, dw[o * IN + k], 1e-12);
            }
        }
    }
}
