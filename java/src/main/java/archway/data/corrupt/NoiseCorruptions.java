package archway.data.corrupt;

import java.util.SplittableRandom;

/** Gaussian, shot (Poisson) and impulse (salt-and-pepper) noise; parameters of CIFAR-10-C. */
final class NoiseCorruptions {
    static final double[] GAUSSIAN_SIGMA = {0.04, 0.06, 0.08, 0.09, 0.10};
    static final double[] SHOT_PHOTONS = {500, 250, 100, 75, 50};
    static final double[] IMPULSE_AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};

    private NoiseCorruptions() {
    }

    static FloatImage gaussian(FloatImage img, int severity, SplittableRandom rng) {
        double sigma = GAUSSIAN_SIGMA[severity - 1];
        FloatImage out = img.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += (float) (sigma * rng.nextGaussian());
        }
        return out.clip();
    }

    /**
     * Poisson(x * photons) / photons per value. The counts use one standard normal draw per value
     * (inverse-free: a normal approximation with continuity correction above 30 expected photons, an exact
     * inversion below), so the same draws are reused at every severity.
     */
    static FloatImage shot(FloatImage img, int severity, SplittableRandom rng) {
        double photons = SHOT_PHOTONS[severity - 1];
        FloatImage out = img.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            double lambda = d[i] * photons;
            double u = rng.nextDouble();
            double z = rng.nextGaussian();
            double count = lambda > 30 ? Math.max(0, Math.floor(lambda + Math.sqrt(lambda) * z + 0.5)) : poissonInverse(lambda, u);
            d[i] = (float) (count / photons);
        }
        return out.clip();
    }

    /** The smallest k with P(X <= k) >= u for X ~ Poisson(lambda). */
    static int poissonInverse(double lambda, double u) {
        double p = Math.exp(-lambda);
        double cdf = p;
        int k = 0;
        while (cdf < u && k < 1000) {
            k++;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }

    /**
     * Each value becomes 0 or 1 (equally likely) with probability {@code amount}. A value hit at a lower severity
     * is hit at every higher one (one uniform draw per value, compared with the amount).
     */
    static FloatImage impulse(FloatImage img, int severity, SplittableRandom rng) {
        double amount = IMPULSE_AMOUNT[severity - 1];
        FloatImage out = img.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            double hit = rng.nextDouble();
            boolean salt = rng.nextBoolean();
            if (hit < amount) {
                d[i] = salt ? 1f : 0f;
            }
        }
        return out;
    }
}
