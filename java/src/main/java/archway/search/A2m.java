package archway.search;

/**
 * Architecture-aware minimisation (specs/darts-family.md): biases the architecture gradient toward
 * flat regions by differentiating F(alpha) = L(alpha + rho d(alpha)) with a finite-difference
 * Hessian-vector product. Four gradient evaluations per call, all with respect to alpha only.
 *
 * <p>Plain variant, d = g = grad L: the chain rule gives grad F = (I + rho H(alpha)) g~ with
 * g~ = grad L(alpha~); as in the spec, H(alpha) is replaced by H(alpha~) (an O(rho^2) change) so that
 * one central difference along g~ at alpha~ gives the product.
 *
 * <p>Normalised (SAM-style) variant, d = g/||g||: now d(alpha) has Jacobian (I - u u^T) H / ||g||
 * with u = g/||g||, so grad F = g~ + (rho/||g||) H (I - u u^T) g~. The projection matters: without it
 * the correction carries a spurious (rho/||g||) (u.g~) H u term, as large as the correction itself,
 * so the product is taken along v = g~ - u (u.g~) instead of along g~.
 */
public final class A2m {
    private A2m() {
    }

    /**
     * g_A2M = g~ + s * H(alpha~) v, with g0 = grad(alpha), alpha~ = alpha + s g0, g~ = grad(alpha~) and
     * H v ~ [grad(alpha~ + eps v) - grad(alpha~ - eps v)] / (2 eps). Plain: s = rho, v = g~.
     * Normalised: s = rho/||g0||, v = g~ - u (u.g~), u = g0/||g0|| (s = 0 and the result g~ = g0 when g0 = 0).
     */
    public static double[] gradient(ArchGradient grad, double[] alpha, double rho, double eps, boolean normalised) {
        double[] g0 = grad.at(alpha);
        double step = rho;
        if (normalised) {
            double norm = Vectors.norm(g0);
            step = norm > 0 ? rho / norm : 0;
        }
        double[] tilde = Vectors.axpy(step, g0, alpha);
        double[] gt = grad.at(tilde);
        double[] v = gt;
        if (normalised && step > 0) {
            // (I - u u^T) g~ with u = g0/||g0||, i.e. g~ - g0 (g0.g~)/||g0||^2.
            double c = Vectors.dot(g0, gt) / Vectors.dot(g0, g0);
            v = Vectors.axpy(-c, g0, gt);
        }
        double[] gp = grad.at(Vectors.axpy(eps, v, tilde));
        double[] gm = grad.at(Vectors.axpy(-eps, v, tilde));
        double[] out = new double[alpha.length];
        for (int i = 0; i < out.length; i++) {
            double hv = (gp[i] - gm[i]) / (2 * eps);
            out[i] = gt[i] + step * hv;
        }
        return out;
    }
}
