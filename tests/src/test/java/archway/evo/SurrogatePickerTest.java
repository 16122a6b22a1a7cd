package archway.evo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The surrogates and the cross-validated picker on synthetic data whose ranking is known. */
class SurrogatePickerTest {
    private static double[][] points(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextDouble();
            }
        }
        return x;
    }

    private static double bowl(double[] x) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            s += (k + 1) * (x[k] - 0.3) * (x[k] - 0.3);
        }
        return s;
    }

    /** Predicts the training value of the nearest training point, times a sign. */
    private static Surrogate.Kind nearest(String name, double sign) {
        return new Surrogate.Kind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Surrogate fit(double[][] x, double[] y, long seed) {
                return q -> {
                    int best = 0;
                    double bestD = Double.POSITIVE_INFINITY;
                    for (int i = 0; i < x.length; i++) {
                        double d = 0;
                        for (int k = 0; k < q.length; k++) {
                            d += (q[k] - x[i][k]) * (q[k] - x[i][k]);
                        }
                        if (d < bestD) {
                            bestD = d;
                            best = i;
                        }
                    }
                    return sign * y[best];
                };
            }
        };
    }

    @Test
    void picksTheKindThatRanksHeldOutPointsRight() {
        double[][] x = points(60, 3, 1);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = bowl(x[i]);
        }
        SurrogatePicker picker = new SurrogatePicker(List.of(nearest("reversed", -1), nearest("nearest", 1)), 5);
        SurrogatePicker.Choice choice = picker.pick(x, y, 3);
        assertEquals("nearest", choice.kind());
        assertTrue(choice.tau().get("nearest") > 0.3, choice.tau().toString());
        assertEquals(-choice.tau().get("nearest"), choice.tau().get("reversed"), 1e-12);
    }

    @Test
    void rbfInterpolatesItsTrainingPointsAndRanksNewOnes() {
        double[][] x = points(50, 4, 2);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = bowl(x[i]);
        }
        RbfSurrogate rbf = RbfSurrogate.fit(x, y);
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], rbf.predict(x[i]), 1e-6);
        }
        assertTrue(outOfSampleTau(rbf) > 0.8, "rbf tau " + outOfSampleTau(rbf));
    }

    @Test
    void forestRanksNewPointsOfASmoothFunction() {
        double[][] x = points(200, 4, 4);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = bowl(x[i]);
        }
        RandomForestSurrogate forest = RandomForestSurrogate.fit(x, y, 64, 12, 2, 5);
        assertTrue(outOfSampleTau(forest) > 0.6, "forest tau " + outOfSampleTau(forest));
        // seeded: the same seed gives the same forest
        RandomForestSurrogate again = RandomForestSurrogate.fit(x, y, 64, 12, 2, 5);
        assertEquals(forest.predict(new double[] {0.1, 0.2, 0.3, 0.4}), again.predict(new double[] {0.1, 0.2, 0.3, 0.4}), 0);
    }

    @Test
    void forestBeatsRbfOnAStepFunctionAndThePickerSeesIt() {
        // a threshold in one coordinate: piecewise constant, which trees model and a cubic RBF smears
        double[][] x = points(80, 6, 6);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (x[i][0] > 0.5 ? 1 : 0) + (x[i][1] > 0.7 ? 1 : 0);
        }
        SurrogatePicker.Choice choice = SurrogatePicker.standard().pick(x, y, 7);
        assertEquals("forest", choice.kind(), choice.tau().toString());
        assertTrue(choice.tau().get("forest") > choice.tau().get("rbf"));
    }

    private static double outOfSampleTau(Surrogate s) {
        double[][] test = points(100, 4, 99);
        double[] truth = new double[test.length];
        double[] pred = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            truth[i] = bowl(test[i]);
            pred[i] = s.predict(test[i]);
        }
        return KendallTau.tauB(pred, truth);
    }
}
