package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The NACHOS loss gradient (every term on) against central finite differences of the double reference. */
class NachosGradientTest {
    private static final int N = 5, EXITS = 3, CLASSES = 4;
    private static final double[] MACS = {20, 50, 100};
    private static final double BUDGET = 30, W_MACS = 2, W_SUP = 0.7;

    private static double loss(double[][][] z, double[][] u, int[] y, double[][] support) {
        double[][] c = new double[N][EXITS];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < EXITS; j++) {
                c[i][j] = j == EXITS - 1 ? 1 : 1 / (1 + Math.exp(-u[i][j]));
            }
        }
        return NachosLoss.of(z, c, y, MACS, BUDGET, W_MACS, support, W_SUP).total();
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        double[][][] z = new double[N][EXITS][CLASSES];
        double[][] u = new double[N][EXITS];
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = r.nextInt(CLASSES);
            for (int j = 0; j < EXITS; j++) {
                for (int k = 0; k < CLASSES; k++) {
                    z[i][j][k] = r.nextGaussian() * 2;
                }
                u[i][j] = -1.5 + r.nextGaussian() * 0.5;   // low confidences: expected MACs above the budget
            }
        }
        double[][] support = new double[CLASSES][EXITS];
        for (double[] row : support) {
            for (int j = 0; j < EXITS; j++) {
                row[j] = r.nextDouble();
            }
        }
        NachosGradient.Result g = NachosGradient.of(z, u, y, MACS, BUDGET, W_MACS, support, W_SUP);
        assertTrue(g.terms().macs() > 0, "the MACs term must be active for this check");
        assertEquals(loss(z, u, y, support), g.terms().total(), 1e-12);
        double h = 1e-6;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < EXITS; j++) {
                for (int k = 0; k < CLASSES; k++) {
                    double keep = z[i][j][k];
                    z[i][j][k] = keep + h;
                    double up = loss(z, u, y, support);
                    z[i][j][k] = keep - h;
                    double down = loss(z, u, y, support);
                    z[i][j][k] = keep;
                    assertEquals((up - down) / (2 * h), g.dz()[i][j][k], 1e-7, "dz " + i + "," + j + "," + k);
                }
                if (j < EXITS - 1) {
                    double keep = u[i][j];
                    u[i][j] = keep + h;
                    double up = loss(z, u, y, support);
                    u[i][j] = keep - h;
                    double down = loss(z, u, y, support);
                    u[i][j] = keep;
                    assertEquals((up - down) / (2 * h), g.du()[i][j], 1e-7, "du " + i + "," + j);
                } else {
                    assertEquals(0, g.du()[i][j], 0, "the final exit has no confidence");
                }
            }
        }
    }
}
