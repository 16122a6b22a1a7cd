package archway.search;

/**
 * The ZO-DARTS++ resource penalty (specs/zo-darts.md): lambda * [ReLU(P - B_upper) + ReLU(B_lower - P)] / 1e6
 * with lambda = 15 / T. Zero inside the band [B_lower, B_upper]; outside it pulls the expected parameter
 * count P back with a slope of lambda / 1e6 per parameter, stronger as the temperature falls.
 */
public record ZoPenalty(double lower, double upper) {
    public ZoPenalty {
        if (!(lower >= 0) || !(upper >= lower)) {
            throw new IllegalArgumentException("budget band needs 0 <= lower <= upper, got [" + lower + ", " + upper + "]");
        }
    }

    /** lambda at temperature T. */
    public static double lambda(double temperature) {
        return 15.0 / temperature;
    }

    /** The penalty for expected parameter count {@code p} at temperature T. */
    public double value(double p, double temperature) {
        return lambda(temperature) * (Math.max(0, p - upper) + Math.max(0, lower - p)) / 1e6;
    }

    /** d value / d p (0 inside the band; the kink points take the one-sided inner slope 0). */
    public double slope(double p, double temperature) {
        double s = p > upper ? 1 : p < lower ? -1 : 0;
        return lambda(temperature) * s / 1e6;
    }

    public boolean contains(double p) {
        return p >= lower && p <= upper;
    }
}
