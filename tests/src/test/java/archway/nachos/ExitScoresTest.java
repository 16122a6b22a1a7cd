package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exit probabilities, cumulative scores and exit decisions against hand computations. */
class ExitScoresTest {
    @Test
    void exitProbabilitiesSumToOnePerSample() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] c = new double[50][];
        for (int i = 0; i < c.length; i++) {
            c[i] = new double[2 + random.nextInt(4)];
            for (int j = 0; j < c[i].length; j++) {
                c[i][j] = random.nextDouble();
            }
        }
        c[0][0] = 1;   // certain first exit: nothing left for the others
        c[1][0] = 0;
        double[][] p = ExitScores.exitProbabilities(c);
        for (double[] row : p) {
            double sum = 0;
            for (double v : row) {
                assertEquals(true, v >= 0 && v <= 1);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-12);
        }
        assertEquals(1.0, p[0][0], 0);
        assertEquals(0.0, p[1][0], 0);
    }

    @Test
    void handComputedScoresAndDecisions() {
        // c = (0.5, 0.4, x): c~ = (0.5, 0.5*0.4 = 0.2, 0.5*0.6 = 0.3); D = (0.5, 0.7, 1.0)
        double[][] c = {{0.5, 0.4, 0.123}, {0.9, 0.0, 0.0}, {0.1, 0.1, 0.5}};
        assertArrayEquals(new double[] {0.5, 0.2, 0.3}, ExitScores.exitProbabilities(c)[0], 1e-15);
        assertArrayEquals(new double[] {0.5, 0.7, 1.0}, ExitScores.cumulative(c)[0], 1e-15);
        // eps = (0.7, 0.6): sample 0 leaves at exit 1 (D=0.7 >= 0.6), sample 1 at exit 0, sample 2 at the end
        // (D = 0.1, 0.19)
        assertArrayEquals(new int[] {1, 0, 2}, ExitScores.decisions(c, new double[] {0.7, 0.6}));
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
                ExitScores.rates(new int[] {1, 0, 2}, 3), 1e-15);
    }
}
