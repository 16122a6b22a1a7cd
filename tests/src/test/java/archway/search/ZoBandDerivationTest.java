package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.spaces.nb201.SizeVariableArch;
import org.junit.jupiter.api.Test;

/**
 * ZO-DARTS++ delivers the most probable discrete architecture whose exact parameter count is inside the
 * band. Checked against brute force: every row is one-hot except a few "free" rows (two op rows and one
 * kernel row of stage 0, and stage 0's depth), whose combinations are enumerated exhaustively with their
 * exact counts ({@link SizeVariableArch#params}) and probability products.
 */
class ZoBandDerivationTest {
    static final int C = 4, N = 2, CLASSES = 10, IN = 1;

    @Test
    void mostProbableInBandMatchesBruteForce() {
        try (ZoSizeVariableArch arch = new ZoSizeVariableArch(C, N, CLASSES, IN)) {
            arch.expand();
            int rows = ZoSizeVariableArch.ROWS, ops = ZoSizeVariableArch.OPS, ks = ZoSizeVariableArch.KS;
            int betaBase = rows * ops, gammaBase = betaBase + rows * ks;
            double[] theta = new double[arch.size()];
            // One-hot everywhere: op 1 (skip), kernel 7, depth N.
            for (int r = 0; r < rows; r++) {
                theta[r * ops + 1] = 5;
                theta[betaBase + r * ks] = 5;
            }
            for (int s = 0; s < 3; s++) {
                theta[gammaBase + s * N + N - 1] = 5;
            }
            // Free rows with spread probabilities (sparsemax at T = 1 keeps several entries non-zero).
            double[][] free = {{0.1, 0.5, 0.45, 0.6, 0.2}, {0.3, 0.2, 0.5, 0.55, 0.0}};
            for (int e = 0; e < 2; e++) {
                for (int o = 0; o < ops; o++) {
                    theta[e * ops + o] = free[e][o];
                }
            }
            theta[betaBase] = 0.5;
            theta[betaBase + 1] = 0.4;
            theta[betaBase + 2] = 0.3;
            for (int e = 1; e < rows; e++) {
                theta[betaBase + e * ks] = 5;
            }
            theta[gammaBase] = 0.45;
            theta[gammaBase + 1] = 0.5;
            double[][] p = arch.blocks(theta, 1.0);
            SizeVariableArch argmax = arch.choose(p, null);
            long argmaxParams = argmax.params(C, IN, CLASSES);
            // Enumerate the free rows: op of edges 0 and 1 in stage 0, kernel of edge 0, depth of stage 0.
            double bestLogp = Double.NEGATIVE_INFINITY;
            long bestParams = -1;
            String best = null;
            long lower = argmaxParams - 3000, upper = argmaxParams - 1;
            for (int o0 = 0; o0 < ops; o0++) {
                for (int o1 = 0; o1 < ops; o1++) {
                    for (int k = 0; k < ks; k++) {
                        for (int d = 1; d <= N; d++) {
                            double pr = p[0][o0] * p[0][ops + o1] * p[1][k] * p[2][d - 1];
                            if (pr == 0) {
                                continue;
                            }
                            int[][] o = copy(argmax.ops()), kk = copy(argmax.kernels());
                            int[] depth = argmax.depth().clone();
                            o[0][0] = o0;
                            o[0][1] = o1;
                            kk[0][0] = archway.spaces.nb201.SizeVariableNb201Network.KERNELS[k];
                            depth[0] = d;
                            SizeVariableArch a = new SizeVariableArch(o, kk, depth);
                            long n = a.params(C, IN, CLASSES);
                            if (n >= lower && n <= upper && Math.log(pr) > bestLogp) {
                                bestLogp = Math.log(pr);
                                best = a.toString();
                                bestParams = n;
                            }
                        }
                    }
                }
            }
            assertNotNull(best, "the band must be reachable by the free rows (test set-up)");
            ZoSizeVariableArch.Derived d = arch.mostProbableInBand(theta, 1.0, lower, upper);
            assertNotNull(d);
            assertEquals(bestParams, d.params());
            assertTrue(d.params() >= lower && d.params() <= upper);
            assertEquals(best, d.genotype());
            // A band no architecture reaches (below the fixed parts alone): none.
            assertNull(arch.mostProbableInBand(theta, 1.0, 0, 10));
        }
    }

    private static int[][] copy(int[][] a) {
        return new int[][] {a[0].clone(), a[1].clone(), a[2].clone()};
    }
}
