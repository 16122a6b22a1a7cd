package archway.search;

/**
 * Architecture-aware minimisation (specs/darts-family.md): biases the architecture gradient toward
 * flat regions by differentiating L(alpha + rho grad L(alpha)) with a finite-difference Hessian-vector
 * product. Four gradient evaluations per call, all with respect to alpha only.
 */
public final class A2m {
    private A2m() {
    }

    /**
     * g_A2M = g~ + rho * Hg with g0 = grad(alpha), alpha~ = alpha + rho g0 (or rho g0/||g0|| when
     * {@code normalised}), g~ = grad(alpha~), Hg = [grad(alpha~ + eps g~) - grad(alpha~ - eps g~)] / (2 eps).
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
        double[] gp = grad.at(Vectors.axpy(eps, gt, tilde));
        double[] gm = grad.at(Vectors.axpy(-eps, gt, tilde));
        double[] out = new double[alpha.length];
        for (int i = 0; i < out.length; i++) {
            double hg = (gp[i] - gm[i]) / (2 * eps);
            out[i] = gt[i] + step * hg;
        }
        return out;
    }
}
