package archway.search;

/**
 * The zeroth-order hypergradient estimators of specs/zo-darts.md, on plain vectors.
 *
 * <p>One-sided (ZO-DARTS): g_hat = [ z . grad_theta L_val(w, theta) + ((w~ - w) / mu) . grad_w L_val(w, theta) ] z,
 * where w~ is the weight vector after the same R SGD steps taken at theta + mu z. (w~ - w)/mu is the forward
 * difference estimate of (dw/dtheta) z, so the bracket estimates the directional derivative
 * z . dL_val(w(theta), theta)/dtheta of the bilevel objective. For z uniform on the unit sphere of R^d,
 * E[z z^T] = I/d, hence E[g_hat] = grad / d + O(mu): an unbiased estimate of the gradient's direction
 * (the 1/d scale is absorbed by Adam, which is invariant to a constant gradient scale).
 *
 * <p>Two-point: g_hat = (1/q) sum_j [L(theta + mu z_j) - L(theta - mu z_j)] / (2 mu) z_j, with the same
 * expectation (the central difference has O(mu^2) bias).
 */
public final class ZoEstimator {
    private ZoEstimator() {
    }

    /**
     * @param z           unit direction
     * @param gradTheta   grad_theta L_val(w, theta) (explicit part)
     * @param weightTerm  ((w~ - w) / mu) . grad_w L_val(w, theta) (implicit part, already divided by mu)
     */
    public static double[] oneSided(double[] z, double[] gradTheta, double weightTerm) {
        double s = dot(z, gradTheta) + weightTerm;
        double[] g = new double[z.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = s * z[i];
        }
        return g;
    }

    /** Adds [lossPlus - lossMinus] / (2 mu) * z / q into {@code acc} (one of q directions). */
    public static void addTwoPoint(double[] acc, double[] z, double lossPlus, double lossMinus, double mu, int q) {
        double s = (lossPlus - lossMinus) / (2 * mu) / q;
        for (int i = 0; i < acc.length; i++) {
            acc[i] += s * z[i];
        }
    }

    /**
     * Adds {@code scale} * sum_j (z_j . grad) z_j into {@code acc}: an exact gradient (the budget penalty's)
     * as the zeroth-order estimate sees it, projected on the directions of the update, as the ZO-DARTS++
     * reference adds it (the unprojected gradient would be about d times stronger than the estimate).
     */
    public static void addProjected(double[] acc, java.util.List<double[]> directions, double[] grad, double scale) {
        for (double[] z : directions) {
            double s = scale * dot(z, grad);
            for (int i = 0; i < acc.length; i++) {
                acc[i] += s * z[i];
            }
        }
    }

    /** mu = scale * ||theta||_2, floored so a zero theta still gets a usable step. */
    public static double mu(double scale, double[] theta) {
        return scale * Math.max(Math.sqrt(dot(theta, theta)), 1e-3);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
