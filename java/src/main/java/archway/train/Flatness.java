package archway.train;

import archway.data.EvalBatches;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;

/**
 * The flatness figure of merit R (FlatNAS): the mean over M draws of |Acc(w) - Acc(w')| in accuracy points,
 * with multiplicative Gaussian weight noise w' = w + sigma (w * eps), eps ~ N(0, I) from the backend's Philox
 * stream (seed, draw). Measured in place: the weights are saved once, each draw writes w' over them from the
 * saved copy, and the saved copy is put back at the end (bit for bit). BN running statistics are not perturbed.
 */
public final class Flatness {
    /** Philox purpose code of the weight-noise draws. */
    public static final int NOISE_PURPOSE = 0x464C_4154;

    public record Result(double r, double cleanAccuracy, double[] noisyAccuracy) {
    }

    private Flatness() {
    }

    public static Result measure(Network net, EvalBatches batches, double sigma, int draws, long seed) {
        if (sigma < 0 || draws < 1) {
            throw new IllegalArgumentException("need sigma >= 0 and at least one draw: " + sigma + ", " + draws);
        }
        ParamStore p = net.params();
        FlatOps flat = p.backend().flat();
        long n = p.flatLength(ValueKind.WEIGHT);
        Buffer w = p.weights();
        double clean = Evaluator.evaluate(net, batches).accuracy();
        double[] noisy = new double[draws];
        double sum = 0;
        try (BufferArena arena = p.backend().arena()) {
            Buffer saved = arena.allocate(Math.max(1, n));
            Buffer eps = arena.allocate(Math.max(1, n));
            flat.copy(w, saved, n);
            try {
                for (int m = 0; m < draws; m++) {
                    flat.normal(eps, n, seed, NOISE_PURPOSE, m);
                    flat.weightNoise(saved, eps, w, n, (float) sigma);
                    noisy[m] = Evaluator.evaluate(net, batches).accuracy();
                    sum += Math.abs(clean - noisy[m]);
                }
            } finally {
                flat.copy(saved, w, n);
            }
        }
        return new Result(sum / draws, clean, noisy);
    }
}
