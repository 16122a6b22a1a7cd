package archway.nachos;

/**
 * The NACHOS loss ({@link NachosLoss}) with its gradient with respect to every exit's raw outputs, in double
 * precision on the host: the class logits z_{i,j,k} and the confidence logits u_{i,j} (c = sigmoid(u)) of the early
 * exits. Training reads the exits' outputs after a forward pass, calls this, and seeds the graph's backward with the
 * result. With p = c~ the exit probabilities and S_{i,j} = prod_{l<j}(1 - c_{i,l}):
 * <ul>
 *   <li>dL/dz_{i,j,k} = p_{i,j} (softmax_k - [k = y_i]) / N;</li>
 *   <li>d/dc_{i,k} of sum_j g_j p_{i,j} = g_k S_{i,k} - sum_{j>k} g_j c_{i,j} prod_{l<j, l != k}(1 - c_{i,l}), used
 *       with g_j = CE_{i,j} / N for L_cls (L_macs' own gradient comes from {@link MacsLoss});</li>
 *   <li>L_bce's class weights and targets are constants of the batch (argmax), so dL_bce/du = w_t (c - t) / N;</li>
 *   <li>dL_sup/dc_{i,j} = -2 (A[y_i, j] - c_{i,j}) / (N J);</li>
 *   <li>dL/du = dL/dc * c (1 - c) for the terms through c.</li>
 * </ul>
 */
public final class NachosGradient {
    private NachosGradient() {
    }

    /** The loss terms and the gradients: dz[i][j][k] for every exit, du[i][j] for the early exits (final: 0). */
    public record Result(NachosLoss.Terms terms, double[][][] dz, double[][] du) {
    }

    /**
     * @param z   class logits [sample][exit][class]
     * @param u   confidence logits [sample][exit] (the final column is ignored)
     * @param support A[class][exit] or null (L_sup off)
     */
    public static Result of(double[][][] z, double[][] u, int[] labels, double[] exitMacs, double budget, double wMacs,
            double[][] support, double wSup) {
        int n = labels.length;
        int exits = exitMacs.length;
        double[][] c = new double[n][exits];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < exits; j++) {
                c[i][j] = j == exits - 1 ? 1 : 1 / (1 + Math.exp(-u[i][j]));
            }
        }
        NachosLoss.Terms terms = NachosLoss.of(z, c, labels, exitMacs, budget, wMacs, support, wSup);
        double[][] p = ExitScores.exitProbabilities(c);
        double[][][] dz = new double[n][exits][];
        double[][] ce = new double[n][exits];
        boolean[][] right = new boolean[n][exits];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < exits; j++) {
                double[] zi = z[i][j];
                double max = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int k = 0; k < zi.length; k++) {
                    if (zi[k] > max) {
                        max = zi[k];
                        arg = k;
                    }
                }
                double sum = 0;
                for (double v : zi) {
                    sum += Math.exp(v - max);
                }
                ce[i][j] = max + Math.log(sum) - zi[labels[i]];
                right[i][j] = arg == labels[i];
                dz[i][j] = new double[zi.length];
                for (int k = 0; k < zi.length; k++) {
                    double q = Math.exp(zi[k] - max) / sum;
                    dz[i][j][k] = p[i][j] * (q - (k == labels[i] ? 1 : 0)) / n;
                }
            }
        }
        double[][] dc = new double[n][exits];
        double[][] macsGrad = MacsLoss.of(c, exitMacs, budget).gradient();
        for (int i = 0; i < n; i++) {
            double[] g = new double[exits];
            for (int j = 0; j < exits; j++) {
                g[j] = ce[i][j] / n;
            }
            for (int k = 0; k < exits - 1; k++) {
                dc[i][k] = probabilityGradient(c[i], g, k) + wMacs * macsGrad[i][k];
                if (support != null) {
                    dc[i][k] += wSup * -2 * (support[labels[i]][k] - c[i][k]) / ((double) n * exits);
                }
            }
        }
        double[][] du = new double[n][exits];
        for (int j = 0; j < exits - 1; j++) {
            int positives = 0;
            for (int i = 0; i < n; i++) {
                positives += right[i][j] ? 1 : 0;
            }
            for (int i = 0; i < n; i++) {
                double cij = c[i][j];
                int count = right[i][j] ? positives : n - positives;
                double w = n / (2.0 * count);
                du[i][j] = dc[i][j] * cij * (1 - cij) + w * (cij - (right[i][j] ? 1 : 0)) / n;
            }
        }
        return new Result(terms, dz, du);
    }

    /** d/dc_k of sum_j g_j c~_j for one sample (the final c is 1). */
    static double probabilityGradient(double[] c, double[] g, int k) {
        int exits = c.length;
        double d = g[k] * survival(c, k, -1);
        for (int j = k + 1; j < exits; j++) {
            double cj = j == exits - 1 ? 1 : c[j];
            d -= g[j] * cj * survival(c, j, k);
        }
        return d;
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
