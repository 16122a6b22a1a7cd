package archway.nachos;

/**
 * The NACHOS training loss in double precision for one batch: L = L_cls + L_bce + w_macs L_macs + [sup] w_sup L_sup
 * with c~ the exit probabilities (ExitScores), CE_{i,j} exit j's cross-entropy on sample i and
 * <ul>
 *   <li>L_cls = sum_j mean_i c~_{i,j} CE_{i,j};</li>
 *   <li>L_bce = sum over early exits j of mean_i w_t BCE(c_{i,j}, t_{i,j}), t = [exit j's argmax is right],
 *       class-balanced: w_t = n / (2 n_t) with n_t the batch's count of target t at that exit;</li>
 *   <li>L_macs: {@link MacsLoss};</li>
 *   <li>L_sup = (1/N) sum_i (1/J) sum_j (A[y_i, j] - c_{i,j})^2 (final c = 1), from epoch n_sup on.</li>
 * </ul>
 * It is the reference the graph-built loss is checked against.
 */
public final class NachosLoss {
    private static final double TINY = 1e-12;

    private NachosLoss() {
    }

    public record Terms(double cls, double bce, double macs, double sup, double total) {
    }

    /**
     * @param logits     [sample][exit][class]
     * @param confidence [sample][exit], final column ignored (taken as 1)
     * @param support    A[class][exit], or null before epoch n_sup (L_sup off)
     */
    public static Terms of(double[][][] logits, double[][] confidence, int[] labels, double[] exitMacs,
            double budget, double wMacs, double[][] support, double wSup) {
        int n = labels.length;
        int exits = exitMacs.length;
        double[][] p = ExitScores.exitProbabilities(confidence);
        double cls = 0;
        boolean[][] right = new boolean[n][exits];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < exits; j++) {
                double[] z = logits[i][j];
                double max = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int k = 0; k < z.length; k++) {
                    if (z[k] > max) {
                        max = z[k];
                        arg = k;
                    }
                }
                double sum = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                double ce = max + Math.log(sum) - z[labels[i]];
                cls += p[i][j] * ce / n;
                right[i][j] = arg == labels[i];
            }
        }
        double bce = 0;
        for (int j = 0; j < exits - 1; j++) {
            int positives = 0;
            for (int i = 0; i < n; i++) {
                positives += right[i][j] ? 1 : 0;
            }
            for (int i = 0; i < n; i++) {
                double c = Math.min(1 - TINY, Math.max(TINY, confidence[i][j]));
                int count = right[i][j] ? positives : n - positives;
                double w = n / (2.0 * count);
                bce += w * -(right[i][j] ? Math.log(c) : Math.log(1 - c)) / n;
            }
        }
        double macs = MacsLoss.of(confidence, exitMacs, budget).value();
        double sup = 0;
        if (support != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < exits; j++) {
                    double c = j == exits - 1 ? 1 : confidence[i][j];
                    double d = support[labels[i]][j] - c;
                    sup += d * d / ((double) exits * n);
                }
            }
        }
        double total = cls + bce + wMacs * macs + (support != null ? wSup * sup : 0);
        return new Terms(cls, bce, macs, sup, total);
    }
}
