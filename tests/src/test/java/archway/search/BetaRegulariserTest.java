package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * beta-DARTS's regulariser lambda * sum over MIX blocks of mean over the block's edges of logsumexp(alpha_e):
 * on the DARTS space the mean over the 14 normal edges plus the mean over the 14 reduce edges (not their
 * average). Its gradient against central differences of that closed form, in double precision.
 */
class BetaRegulariserTest {
    @Test
    void dartsSpaceIsNormalMeanPlusReduceMean() {
        int rows = 28, cols = 8, blocks = 2;
        double lambda = 0.5 * 3;
        SupernetObjective o = new SupernetObjective(null, null, null, rows, cols, blocks);
        o.betaLambda(lambda);
        SplittableRandom rnd = new SplittableRandom(5);
        double[] alpha = new double[rows * cols];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = rnd.nextGaussian();
        }
        double[] g = new double[alpha.length];
        o.addRegulariser(alpha, g);
        double h = 1e-5;
        for (int i = 0; i < alpha.length; i += 7) {
            double[] a = alpha.clone();
            a[i] += h;
            double up = regulariser(a, rows, cols, lambda);
            a[i] -= 2 * h;
            double down = regulariser(a, rows, cols, lambda);
            assertEquals((up - down) / (2 * h), g[i], 1e-8, "entry " + i);
        }
    }

    /** lambda * (mean_{normal e} lse(alpha_e) + mean_{reduce e} lse(alpha_e)). */
    static double regulariser(double[] alpha, int rows, int cols, double lambda) {
        double normal = 0, reduce = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, alpha[r * cols + c]);
            }
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += Math.exp(alpha[r * cols + c] - max);
            }
            double lse = max + Math.log(s);
            if (r < rows / 2) {
                normal += lse;
            } else {
                reduce += lse;
            }
        }
        return lambda * (normal / (rows / 2) + reduce / (rows / 2));
    }
}
