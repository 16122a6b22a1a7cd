package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.nn.Network;
import archway.spaces.nb201.SizeVariableArch;
import archway.spaces.nb201.SizeVariableNb201Network;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * With one-hot probabilities (theta far apart, so sparsemax is exactly one-hot) the expected parameter
 * count P equals the exact count of the derived network, built and counted from its parameter store.
 */
class ZoExpectedParamsTest {
    static final int C = 4, N = 3, CLASSES = 10, IN = 1;

    @Test
    void oneHotExpectedCountEqualsTheBuiltDerivedNetwork() {
        SplittableRandom rnd = new SplittableRandom(42);
        try (ZoSizeVariableArch arch = new ZoSizeVariableArch(C, N, CLASSES, IN)) {
            arch.expand();
            for (int trial = 0; trial < 6; trial++) {
                double[] theta = new double[arch.size()];
                int[][] ops = new int[3][6], kernels = new int[3][6];
                int[] depth = new int[3];
                int rows = ZoSizeVariableArch.ROWS, base = rows * ZoSizeVariableArch.OPS;
                for (int s = 0; s < 3; s++) {
                    for (int e = 0; e < 6; e++) {
                        int r = s * 6 + e;
                        // Trial 0 puts conv_kv everywhere so every kernel size is exercised.
                        ops[s][e] = trial == 0 ? SizeVariableNb201Network.CONV_KV : rnd.nextInt(5);
                        int k = rnd.nextInt(3);
                        kernels[s][e] = SizeVariableNb201Network.KERNELS[k];
                        theta[r * ZoSizeVariableArch.OPS + ops[s][e]] = 5;
                        theta[base + r * ZoSizeVariableArch.KS + k] = 5;
                    }
                    depth[s] = 1 + rnd.nextInt(N);
                    theta[base + rows * ZoSizeVariableArch.KS + s * N + depth[s] - 1] = 5;
                }
                SizeVariableArch expected = new SizeVariableArch(ops, kernels, depth);
                double p = arch.expectedParams(theta, 1.0);
                ZoSizeVariableArch.Derived d = arch.derive(theta, 1.0, ZoConfig.Derive.ARGMAX, 0);
                assertEquals(expected.toString(), d.genotype());
                long built;
                try (Network net = new Network(SizeVariableNb201Network.discrete(d.arch(), C, CLASSES), IN, 8, 8, 0)) {
                    built = net.params().weightCount();
                }
                assertEquals(built, d.params(), "closed form vs built network, " + d.genotype());
                assertEquals(built, p, 1e-6 * built, "expected count vs built network, " + d.genotype());
                // Sampling from one-hot probabilities gives the same network.
                assertEquals(built, arch.derive(theta, 1.0, ZoConfig.Derive.SAMPLE, 7).params());
            }
        }
    }
}
