package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link A2m#gradient} on objectives whose gradient and Hessian are known in closed form (double
 * precision throughout), so the only error left is the central difference and rounding, both bounded
 * below.
 *
 * <p>What the two variants must equal, with g(a) = grad L(a), H(a) the Hessian:
 * <ul>
 *   <li>plain: F(a) = L(a + rho g(a)), a~ = a + rho g(a), grad F = (I + rho H(a)) g(a~); A²M evaluates the
 *       Hessian at a~ instead: g_A2M = (I + rho H(a~)) g(a~).</li>
 *   <li>normalised: F(a) = L(a + rho g/||g||); the Jacobian of g/||g|| is (I - u u^T) H / ||g|| with
 *       u = g/||g||, so grad F = g~ + (rho/||g||) H (I - u u^T) g~ and, with H at a~,
 *       g_A2M = g~ + (rho/||g||) H(a~) (g~ - u (u.g~)).</li>
 * </ul>
 * On a quadratic H is constant, so both formulas are the exact gradient of F, and a central difference
 * of F itself checks them independently of the formula written here.
 */
class A2mAnalyticTest {
    private static final double U = Math.ulp(1.0); // 2^-52

    /** 0.5 a^T Q a + b^T a with a random symmetric indefinite Q. */
    private record Quadratic(double[][] q, double[] b) implements ArchGradient {
        static Quadratic random(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] q = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    q[i][j] = q[j][i] = r.nextDouble(-1, 1);
                }
            }
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = r.nextDouble(-1, 1);
            }
            return new Quadratic(q, b);
        }

        double value(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += b[i] * a[i] + 0.5 * a[i] * Vectors.dot(q[i], a);
            }
            return s;
        }

        @Override
        public double[] at(double[] a) {
            double[] g = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                g[i] = Vectors.dot(q[i], a) + b[i];
            }
            return g;
        }

        double[] hessTimes(double[] v) {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = Vectors.dot(q[i], v);
            }
            return out;
        }

        /** max_i sum_j |Q_ij| |x_j| + |b_i|: the scale the rounding error of one gradient component is relative to. */
        double scale(double[] x) {
            double m = 0;
            for (int i = 0; i < x.length; i++) {
                double s = Math.abs(b[i]);
                for (int j = 0; j < x.length; j++) {
                    s += Math.abs(q[i][j] * x[j]);
                }
                m = Math.max(m, s);
            }
            return m;
        }
    }

    /** L(a) = CE(softmax(a), y) = logsumexp(a) - a_y; g = p - e_y, H = diag(p) - p p^T. */
    private record SoftmaxCe(int y) implements ArchGradient {
        static double[] softmax(double[] a) {
            double max = Double.NEGATIVE_INFINITY;
            for (double x : a) {
                max = Math.max(max, x);
            }
            double sum = 0;
            double[] p = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                p[i] = Math.exp(a[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < a.length; i++) {
                p[i] /= sum;
            }
            return p;
        }

        @Override
        public double[] at(double[] a) {
            double[] g = softmax(a);
            g[y] -= 1;
            return g;
        }

        /** (diag(p) - p p^T) v at a. */
        double[] hessTimes(double[] a, double[] v) {
            double[] p = softmax(a);
            double pv = Vectors.dot(p, v);
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = p[i] * (v[i] - pv);
            }
            return out;
        }
    }

    /** Counts evaluations, to pin the cost of an A²M step at four gradient passes. */
    private static final class Counting implements ArchGradient {
        final ArchGradient inner;
        int calls;

        Counting(ArchGradient inner) {
            this.inner = inner;
        }

        @Override
        public double[] at(double[] a) {
            calls++;
            return inner.at(a);
        }
    }

    private static double[] randomVector(int n, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextDouble(-1, 1);
        }
        return v;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** The closed-form A²M gradient: g~ + s H(a~) v with the variant's s and v (class comment). */
    private static double[] expected(ArchGradient g, java.util.function.BiFunction<double[], double[], double[]> hess,
                                     double[] a, double rho, boolean normalised) {
        double[] g0 = g.at(a);
        double s = normalised ? rho / Vectors.norm(g0) : rho;
        double[] tilde = Vectors.axpy(s, g0, a);
        double[] gt = g.at(tilde);
        double[] v = normalised ? Vectors.axpy(-Vectors.dot(g0, gt) / Vectors.dot(g0, g0), g0, gt) : gt;
        return Vectors.axpy(s, hess.apply(tilde, v), gt);
    }

    @Test
    void fourGradientPassesPerStep() {
        for (boolean normalised : new boolean[] {false, true}) {
            Counting c = new Counting(Quadratic.random(5, 1));
            A2m.gradient(c, randomVector(5, 1, 2), 0.1, 1e-2, normalised);
            assertEquals(4, c.calls, "normalised=" + normalised);
        }
    }

    /**
     * Quadratic, plain variant. The gradient is affine, so the central difference Q(a~ + eps g~) - Q(a~ - eps g~)
     * over 2 eps is Q g~ exactly in real arithmetic; the only error is rounding. Each gradient component is a
     * dot product of n terms plus b, wrong by at most ~(n+1) u M (M = {@link Quadratic#scale} at the perturbed
     * points); two of them differenced and divided by 2 eps gives (n+1) u M / eps, times rho in g_A2M, plus
     * (n+1) u M for g~ itself. The bound below takes twice that.
     */
    @Test
    void quadraticPlainIsIPlusRhoQTimesGradientAtPerturbedPoint() {
        int n = 8;
        Quadratic f = Quadratic.random(n, 7);
        double[] a = randomVector(n, 1, 8);
        double rho = 0.3, eps = 1e-3;
        double[] got = A2m.gradient(f, a, rho, eps, false);
        double[] tilde = Vectors.axpy(rho, f.at(a), a);
        double[] gt = f.at(tilde);
        double[] want = Vectors.axpy(rho, f.hessTimes(gt), gt);
        double m = Math.max(f.scale(Vectors.axpy(eps, gt, tilde)), f.scale(Vectors.axpy(-eps, gt, tilde)));
        double bound = 2 * (n + 1) * U * m * (1 + rho / eps);
        assertTrue(maxAbsDiff(got, want) <= bound, "diff " + maxAbsDiff(got, want) + " > bound " + bound);
        // The curvature term is what is being checked: it must be far above the bound.
        assertTrue(rho * maxAbs(f.hessTimes(gt)) > 1e6 * bound);
    }

    /**
     * Quadratic: with a constant Hessian both variants are the exact gradient of F, so a central difference
     * of F (computed from values only, no formula shared with A2m) must agree. F is quadratic for the plain
     * variant (the difference is exact up to rounding, ~u |F| / h) and smooth for the normalised one
     * (truncation h^2/6 |F'''| ~ 1e-10 at h = 1e-5 for these O(1) quantities, rounding ~u |F| / h ~ 1e-11).
     * The tolerance 1e-7 sits well above both and 1e3 below the terms that an error in A2m would change.
     */
    @Test
    void quadraticBothVariantsAreTheGradientOfThePerturbedLoss() {
        int n = 6;
        Quadratic f = Quadratic.random(n, 11);
        double[] a = randomVector(n, 1, 12);
        double rho = 0.25, h = 1e-5;
        for (boolean normalised : new boolean[] {false, true}) {
            java.util.function.ToDoubleFunction<double[]> big = x -> {
                double[] g = f.at(x);
                double s = normalised ? rho / Vectors.norm(g) : rho;
                return f.value(Vectors.axpy(s, g, x));
            };
            double[] fd = new double[n];
            for (int i = 0; i < n; i++) {
                double[] xp = a.clone(), xm = a.clone();
                xp[i] += h;
                xm[i] -= h;
                fd[i] = (big.applyAsDouble(xp) - big.applyAsDouble(xm)) / (2 * h);
            }
            double[] got = A2m.gradient(f, a, rho, 1e-3, normalised);
            assertTrue(maxAbsDiff(got, fd) < 1e-7, "normalised=" + normalised + ": A2M " + java.util.Arrays.toString(got)
                    + " vs d/da F " + java.util.Arrays.toString(fd));
            double[] want = expected(f, (x, v) -> f.hessTimes(v), a, rho, normalised);
            assertTrue(maxAbsDiff(got, want) < 1e-9, "normalised=" + normalised);
        }
        // Discriminating power for the normalised variant: the projection (I - u u^T) removes
        // (rho/||g||) (u.g~) Q u, a term far above the 1e-7 tolerance here; dropping it (as a SAM-style
        // "g~ + (rho/||g||) Q g~" would) fails the check above.
        double[] g0 = f.at(a);
        double norm = Vectors.norm(g0);
        double[] gt = f.at(Vectors.axpy(rho / norm, g0, a));
        double[] u = Vectors.axpy(1 / norm, g0, new double[n]);
        double dropped = rho / norm * Math.abs(Vectors.dot(u, gt)) * maxAbs(f.hessTimes(u));
        assertTrue(dropped > 1e-3, "projection term " + dropped);
    }

    /**
     * Softmax cross-entropy, both variants, against the closed form with H(a~) = diag(p) - p p^T.
     * The gradient is not affine, so the central difference along v carries truncation error: per component
     * (eps^2/6) |d^3 p_i/dt^3| on the segment, and along a direction v, d^3 p_i/dt^3 = p_i (d_i^3 - 3 d_i s - k3)
     * with d_i = v_i - p.v, s = sum p_j d_j^2 <= R^2/4, k3 = sum p_j d_j^3, |d_i|, |k3|^(1/3) <= R = max v - min v,
     * hence <= 3 R^3 and the truncation is <= eps^2 R^3 / 2. Rounding: components of g are O(1) with a few ulp
     * error, 8u / (2 eps) after the difference. Both scaled by the step s (rho or rho/||g0||) in g_A2M; the
     * assertion uses twice the sum plus a few ulp for g~ itself.
     */
    @Test
    void softmaxCrossEntropyMatchesClosedFormWithinFiniteDifferenceBound() {
        int n = 7;
        double eps = 1e-4;
        for (int trial = 0; trial < 5; trial++) {
            SoftmaxCe f = new SoftmaxCe(trial % n);
            double[] a = randomVector(n, 2, 100 + trial);
            for (boolean normalised : new boolean[] {false, true}) {
                double rho = normalised ? 0.4 : 0.8;
                double[] got = A2m.gradient(f, a, rho, eps, normalised);
                double[] want = expected(f, f::hessTimes, a, rho, normalised);
                double[] g0 = f.at(a);
                double s = normalised ? rho / Vectors.norm(g0) : rho;
                double[] tilde = Vectors.axpy(s, g0, a);
                double[] gt = f.at(tilde);
                double[] v = normalised ? Vectors.axpy(-Vectors.dot(g0, gt) / Vectors.dot(g0, g0), g0, gt) : gt;
                double range = java.util.Arrays.stream(v).max().orElseThrow() - java.util.Arrays.stream(v).min().orElseThrow();
                double bound = 2 * (s * (eps * eps * range * range * range / 2 + 8 * U / (2 * eps)) + 8 * U);
                double diff = maxAbsDiff(got, want);
                assertTrue(diff <= bound, "trial " + trial + " normalised=" + normalised + ": diff " + diff
                        + " > bound " + bound);
                // The curvature correction is what is checked: orders of magnitude above the bound.
                double correction = s * maxAbs(f.hessTimes(tilde, v));
                assertTrue(correction > 1e3 * bound, "correction " + correction + " vs bound " + bound);
            }
        }
    }

    /** g = 0 (a stationary point): the normalised step is undefined; A²M must return g~ = g = 0, not NaN. */
    @Test
    void normalisedAtStationaryPointIsZeroNotNaN() {
        double[] g = A2m.gradient(x -> new double[x.length], new double[] {1, 2, 3}, 0.1, 1e-2, true);
        for (double x : g) {
            assertEquals(0.0, x);
        }
    }
}
