package archway.nachos;

/**
 * NACHOS's MACs penalty, made differentiable: L_macs = max(0, mean_i sum_j c~_{i,j} E_j - M) / |E_J - M|, built on
 * the soft exit probabilities c~ (exitProbabilities) rather than on hard exit decisions, so its gradient with
 * respect to every early confidence c_{i,j} exists (except at the hinge). Zero when the full network (E_J) already
 * fits the budget M.
 */
public final class MacsLoss {
    private MacsLoss() {
    }

    /** Value and gradient with respect to c (the final exit's entry of the gradient is 0). */
    public record Result(double value, double[][] gradient) {
    }

    public static Result of(double[][] confidence, double[] exitMacs, double budget) {
        int n = confidence.length;
        int exits = exitMacs.length;
        double[][] grad = new double[n][exits];
        double full = exitMacs[exits - 1];
        if (full <= budget) {
            return new Result(0, grad);
        }
        double[][] p = ExitScores.exitProbabilities(confidence);
        double expected = 0;
        for (double[] row : p) {
            for (int j = 0; j < exits; j++) {
                expected += row[j] * exitMacs[j] / n;
            }
        }
        double scale = Math.abs(full - budget);
        double excess = expected - budget;
        if (excess <= 0) {
            return new Result(0, grad);
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < exits - 1; k++) {
                // d/dc_k of sum_j c~_j E_j: c~_k's own factor, minus the (1 - c_k) factor in every later c~_j.
                double d = exitMacs[k] * survival(confidence[i], k, -1);
                for (int j = k + 1; j < exits; j++) {
                    double cj = j == exits - 1 ? 1 : confidence[i][j];
                    d -= exitMacs[j] * cj * survival(confidence[i], j, k);
                }
                grad[i][k] = d / (n * scale);
            }
        }
        return new Result(excess / scale, grad);
    }

    /** prod_{l<j, l != skip}(1 - c_l). */
    private static double survival(double[] c, int j, int skip) {
        double s = 1;
        for (int l = 0; l < j; l++) {
            if (l != skip) {
                s *= 1 - c[l];
            }
        }
        return s;
    }
}
