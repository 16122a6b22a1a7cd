package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** L_macs by hand and its gradient against central finite differences. */
class MacsLossTest {
    private static final double[] MACS = {10, 40, 70, 100};

    @Test
    void valueByHand() {
        // c = (0.5, 0.5, 0.5): c~ = (0.5, 0.25, 0.125, 0.125); expected = 5 + 10 + 8.75 + 12.5 = 36.25
        double[][] c = {{0.5, 0.5, 0.5, 0}};
        assertEquals((36.25 - 30) / 70, MacsLoss.of(c, MACS, 30).value(), 1e-15);
        assertEquals(0, MacsLoss.of(c, MACS, 40).value(), 0);       // within budget
        assertEquals(0, MacsLoss.of(c, MACS, 100).value(), 0);      // the full network fits: no penalty
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(11);
        double[][] c = new double[6][4];
        for (double[] row : c) {
            for (int j = 0; j < 3; j++) {
                row[j] = 0.05 + 0.4 * random.nextDouble();   // low confidences: expected MACs above the budget
            }
        }
        double budget = 30;
        MacsLoss.Result at = MacsLoss.of(c, MACS, budget);
        assertEquals(true, at.value() > 0);
        double h = 1e-6;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < 4; j++) {
                double keep = c[i][j];
                c[i][j] = keep + h;
                double up = MacsLoss.of(c, MACS, budget).value();
                c[i][j] = keep - h;
                double down = MacsLoss.of(c, MACS, budget).value();
                c[i][j] = keep;
                assertEquals((up - down) / (2 * h), at.gradient()[i][j], 1e-7, "sample " + i + " exit " + j);
            }
        }
    }
}
