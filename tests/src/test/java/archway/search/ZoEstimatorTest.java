package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Unbiasedness of the ZO estimators on quadratics. For z uniform on the unit sphere of R^d, E[z z^T] = I/d,
 * so E[(z . g) z] = g / d: the mean of the estimates points along the true gradient and d times the mean
 * approaches it. Both checks use the Philox directions the search draws.
 */
class ZoEstimatorTest {
    static final int D = 12, SAMPLES = 4000;

    /** A fixed positive-definite A, b for f(a) = 0.5 a^T A a + b . a. */
    static double[][] matrix() {
        double[][] a = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                a[i][j] = (i == j ? 2.0 + 0.1 * i : 0) + 0.05 * Math.cos(i + 2 * j) * Math.cos(j + 2 * i);
            }
        }
        return a;
    }

    static double[] mul(double[][] m, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += m[i][j] * x[j];
            }
        }
        return y;
    }

    static double cosine(double[] a, double[] b) {
        return ZoEstimator.dot(a, b) / Math.sqrt(ZoEstimator.dot(a, a) * ZoEstimator.dot(b, b));
    }

    static double[] point() {
        double[] a = new double[D];
        for (int i = 0; i < D; i++) {
            a[i] = Math.sin(1.3 * i + 0.4);
        }
        return a;
    }

    @Test
    void directionsAreUnitAndReproducible() {
        double[] z = ZoDirection.unit(D, 3, 5);
        assertEquals(1.0, ZoEstimator.dot(z, z), 1e-9);
        assertEquals(z[0], ZoDirection.unit(D, 3, 5)[0]);
        assertTrue(z[0] != ZoDirection.unit(D, 3, 6)[0]);
    }

    /**
     * ZO-DARTS++ adds the budget penalty's exact gradient as the estimator would see it: projected on the
     * update's directions. For a linear penalty v . x that is exactly the two-point estimate of it along the
     * same directions, and its mean over directions is v / d (the scale of the loss estimate), not v.
     */
    @Test
    void penaltyGradientIsProjectedOnTheDirections() {
        double[] v = point(), x = point();
        for (int i = 0; i < D; i++) {
            v[i] = Math.cos(3 * i) + 0.5;
            x[i] = Math.sin(i);
        }
        double mu = 1e-3;
        int q = 3;
        java.util.List<double[]> zs = new java.util.ArrayList<>();
        double[] est = new double[D];
        for (int j = 0; j < q; j++) {
            double[] z = ZoDirection.unit(D, 9, j);
            zs.add(z);
            double plus = 0, minus = 0;
            for (int i = 0; i < D; i++) {
                plus += v[i] * (x[i] + mu * z[i]);
                minus += v[i] * (x[i] - mu * z[i]);
            }
            ZoEstimator.addTwoPoint(est, z, plus, minus, mu, q);
        }
        double[] projected = new double[D];
        ZoEstimator.addProjected(projected, zs, v, 1.0 / q);
        for (int i = 0; i < D; i++) {
            assertEquals(est[i], projected[i], 1e-9 * (1 + Math.abs(est[i])));
        }
        // Mean over many directions: v / d.
        int n = 20000;
        double[] mean = new double[D];
        java.util.List<double[]> many = new java.util.ArrayList<>();
        for (int j = 0; j < n; j++) {
            many.add(ZoDirection.unit(D, 10, j));
        }
        ZoEstimator.addProjected(mean, many, v, 1.0 / n);
        double err = 0, norm = 0;
        for (int i = 0; i < D; i++) {
            err += Math.pow(mean[i] - v[i] / D, 2);
            norm += Math.pow(v[i] / D, 2);
        }
        assertTrue(Math.sqrt(err / norm) < 0.1, "relative error " + Math.sqrt(err / norm));
    }

    @Test
    void twoPointMeanApproachesTheGradient() {
        double[][] a = matrix();
        double[] x = point(), grad = mul(a, x);
        for (int i = 0; i < D; i++) {
            grad[i] += 0.3;
        }
        double mu = ZoEstimator.mu(0.005, x);
        double[] mean = new double[D];
        double[] shifted = new double[D];
        for (int s = 0; s < SAMPLES; s++) {
            double[] z = ZoDirection.unit(D, 11, s);
            double[] l = new double[2];
            for (int side = 0; side < 2; side++) {
                for (int i = 0; i < D; i++) {
                    shifted[i] = x[i] + (side == 0 ? mu : -mu) * z[i];
                }
                double[] as = mul(a, shifted);
                l[side] = 0.5 * ZoEstimator.dot(shifted, as) + 0.3 * java.util.Arrays.stream(shifted).sum();
            }
            ZoEstimator.addTwoPoint(mean, z, l[0], l[1], mu, SAMPLES);
        }
        assertTrue(cosine(mean, grad) > 0.95, "cosine " + cosine(mean, grad));
        // d * E[g_hat] = grad: the scale matches within the sampling error.
        double ratio = D * Math.sqrt(ZoEstimator.dot(mean, mean) / ZoEstimator.dot(grad, grad));
        assertEquals(1.0, ratio, 0.1);
    }

    /**
     * The one-sided bilevel estimator. Inner problem: R SGD steps on 0.5 ||w - M a||^2 from w0, so
     * w_R(a) = M a + (1 - eta)^R (w0 - M a). Outer loss L(w, a) = 0.5 ||w - c||^2 + 0.5 ||a - a0||^2.
     * The hypergradient is (dw_R/da)^T (w_R - c) + (a - a0) with dw_R/da = (1 - (1 - eta)^R) M. The twin runs
     * the same R steps at a + mu z; its (w~ - w) / mu is exactly (dw_R/da) z because w_R is linear in a.
     */
    @Test
    void oneSidedTwinEstimatorMeanApproachesTheHypergradient() {
        double[][] m = matrix();
        int r = 10;
        double eta = 0.1;
        double[] a = point(), c = new double[D], a0 = new double[D], w0 = new double[D];
        for (int i = 0; i < D; i++) {
            c[i] = 0.5 * Math.cos(i);
            a0[i] = -0.2 * i / D;
            w0[i] = 0.1 * Math.sin(3 * i);
        }
        double[] w = inner(m, a, w0, r, eta);
        double[] gw = new double[D], ga = new double[D];
        for (int i = 0; i < D; i++) {
            gw[i] = w[i] - c[i];
            ga[i] = a[i] - a0[i];
        }
        double shrink = 1 - Math.pow(1 - eta, r);
        double[] truth = new double[D];
        for (int j = 0; j < D; j++) {
            for (int i = 0; i < D; i++) {
                truth[j] += shrink * m[i][j] * gw[i];
            }
            truth[j] += ga[j];
        }
        double mu = ZoEstimator.mu(0.005, a);
        double[] mean = new double[D];
        for (int s = 0; s < SAMPLES; s++) {
            double[] z = ZoDirection.unit(D, 5, s);
            double[] plus = a.clone();
            for (int i = 0; i < D; i++) {
                plus[i] += mu * z[i];
            }
            double[] twin = inner(m, plus, w0, r, eta);
            double term = 0;
            for (int i = 0; i < D; i++) {
                term += (twin[i] - w[i]) / mu * gw[i];
            }
            double[] g = ZoEstimator.oneSided(z, ga, term);
            for (int i = 0; i < D; i++) {
                mean[i] += g[i] / SAMPLES;
            }
        }
        assertTrue(cosine(mean, truth) > 0.95, "cosine " + cosine(mean, truth));
        double ratio = D * Math.sqrt(ZoEstimator.dot(mean, mean) / ZoEstimator.dot(truth, truth));
        assertEquals(1.0, ratio, 0.1);
    }

    private static double[] inner(double[][] m, double[] a, double[] w0, int r, double eta) {
        double[] target = mul(m, a), w = w0.clone();
        for (int t = 0; t < r; t++) {
            for (int i = 0; i < D; i++) {
                w[i] -= eta * (w[i] - target[i]);
            }
        }
        return w;
    }
}
