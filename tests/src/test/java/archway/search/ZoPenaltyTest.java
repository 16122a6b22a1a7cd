package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The band penalty lambda [ReLU(P - hi) + ReLU(lo - P)] / 1e6 (lambda = 15 / T): zero inside the band, and
 * its gradient in theta (slope x dP/dtheta, through the sparsemax maps) matches central differences.
 */
class ZoPenaltyTest {
    @Test
    void zeroInsideTheBandLinearOutside() {
        ZoPenalty pen = new ZoPenalty(1000, 2000);
        double t = 1.5;
        assertEquals(0, pen.value(1000, t));
        assertEquals(0, pen.value(1500, t));
        assertEquals(0, pen.value(2000, t));
        assertEquals(0, pen.slope(1500, t));
        assertEquals(10.0 * 500 / 1e6, pen.value(2500, t), 1e-15);
        assertEquals(10.0 * 250 / 1e6, pen.value(750, t), 1e-15);
        assertEquals(10.0 / 1e6, pen.slope(2500, t), 1e-18);
        assertEquals(-10.0 / 1e6, pen.slope(750, t), 1e-18);
    }

    @Test
    void gradientMatchesFiniteDifferencesOutsideTheBand() {
        double t = 1.2;
        try (ZoSizeVariableArch arch = new ZoSizeVariableArch(4, 3, 10, 1)) {
            arch.expand();
            double[] theta = new double[arch.size()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = 0.4 * Math.sin(1.7 * i + 0.3);
            }
            double p = arch.expectedParams(theta, t);
            for (ZoPenalty pen : new ZoPenalty[] {new ZoPenalty(0, 0.5 * p), new ZoPenalty(2 * p, 3 * p)}) {
                assertTrue(!pen.contains(p));
                double slope = pen.slope(p, t);
                double[] dp = arch.expectedParamsGrad(theta, t);
                double eps = 1e-3;
                int checked = 0;
                for (int i = 0; i < theta.length; i++) {
                    double[] up = theta.clone(), down = theta.clone();
                    up[i] += eps;
                    down[i] -= eps;
                    double fd = (pen.value(arch.expectedParams(up, t), t) - pen.value(arch.expectedParams(down, t), t))
                            / (2 * eps);
                    double an = slope * dp[i];
                    assertEquals(fd, an, 1e-2 * Math.abs(an) + 5e-4, "theta[" + i + "]");
                    checked += an != 0 ? 1 : 0;
                }
                assertTrue(checked > 20, "most coordinates move P: " + checked);
            }
        }
    }
}
