package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Grid tuning against an independent brute force, and the repair step's guarantees. */
class ThresholdTunerTest {
    private static final double[] MACS = {20, 50, 100};

    /** Random validation outputs where later exits are more often right. */
    private static ThresholdTuner random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] c = new double[n][3];
        boolean[][] right = new boolean[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                c[i][j] = r.nextDouble();
                right[i][j] = r.nextDouble() < 0.5 + 0.2 * j + 0.2 * c[i][j] * (j < 2 ? 1 : 0);
            }
        }
        return new ThresholdTuner(c, right, MACS);
    }

    @Test
    void tuneFindsTheBestGridPoint() {
        double[] grid = {0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8};
        for (long seed = 0; seed < 5; seed++) {
            ThresholdTuner tuner = random(seed, 200);
            ThresholdTuner.Outcome best = tuner.tune();
            assertTrue(best.thresholds()[0] >= 0.7);
            for (double a : grid) {
                for (double b : grid) {
                    if (a < 0.7) {
                        continue;
                    }
                    ThresholdTuner.Outcome o = tuner.evaluate(new int[] {(int) Math.round(a * 10),
                            (int) Math.round(b * 10)});
                    assertTrue(o.top1() < best.top1() || (o.top1() == best.top1() && o.macs() >= best.macs()));
                }
            }
        }
    }

    @Test
    void repairNeverGoesBelowTop1Min() {
        for (long seed = 0; seed < 20; seed++) {
            ThresholdTuner tuner = random(seed, 150);
            ThresholdTuner.Outcome tuned = tuner.tune();
            for (double slack : new double[] {0, 0.01, 0.05, 0.2}) {
                double top1Min = tuned.top1() - slack;
                ThresholdTuner.Outcome repaired = tuner.repair(tuned, top1Min, 30);
                assertTrue(repaired.top1() >= top1Min, "seed " + seed + " slack " + slack);
                assertTrue(repaired.macs() <= tuned.macs() + 1e-12);
                for (int j = 0; j < 2; j++) {
                    assertTrue(repaired.thresholds()[j] <= tuned.thresholds()[j]);
                    assertTrue(repaired.thresholds()[j] >= 0.1 - 1e-12);
                }
            }
        }
    }

    @Test
    void repairLowersTheLastEarlyExitFirstByTenths() {
        // one sample per confidence level at exit 1; exit 0 never confident; every exit right
        double[][] c = {{0, 0.25, 0}, {0, 0.45, 0}, {0, 0.65, 0}, {0, 0.85, 0}};
        boolean[][] right = new boolean[4][3];
        for (boolean[] row : right) {
            java.util.Arrays.fill(row, true);
        }
        ThresholdTuner tuner = new ThresholdTuner(c, right, MACS);
        ThresholdTuner.Outcome start = tuner.evaluate(new int[] {8, 8});   // one of four leaves at exit 1
        assertEquals((50 + 3 * 100) / 4.0, start.macs(), 1e-12);
        // budget 80: lowering eps_2 to 0.6 lets two leave early (75 MACs): stop there
        ThresholdTuner.Outcome repaired = tuner.repair(start, 1.0, 80);
        assertArrayEquals(new double[] {0.8, 0.6}, repaired.thresholds(), 1e-12);
        assertEquals(75, repaired.macs(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5}, repaired.rates(), 1e-12);
        // a budget nobody can meet: eps_2 goes to the floor 0.1, then eps_1 down too (no sample helps there)
        ThresholdTuner.Outcome floor = tuner.repair(start, 1.0, 10);
        assertArrayEquals(new double[] {0.1, 0.1}, floor.thresholds(), 1e-12);
        assertEquals(50, floor.macs(), 1e-12);
    }
}
