package archway.landscape;

/**
 * Counts in equal-width bins over {@code [lo, hi)}; the last bin also takes {@code hi}. Values outside
 * the range are clamped into the first or last bin, so counts always add up to the total.
 */
public record Histogram(double lo, double hi, long[] counts) {
    /** Histogram of a multiset: value {@code values[i]} occurs {@code weights[i]} times. */
    public static Histogram of(double[] values, long[] weights, double lo, double hi, int bins) {
        if (bins < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("need bins >= 1 and hi > lo");
        }
        long[] c = new long[bins];
        double w = (hi - lo) / bins;
        for (int i = 0; i < values.length; i++) {
            if (weights[i] != 0) {
                int b = (int) Math.floor((values[i] - lo) / w);
                c[Math.max(0, Math.min(bins - 1, b))] += weights[i];
            }
        }
        return new Histogram(lo, hi, c);
    }

    /** Width of one bin. */
    public double binWidth() {
        return (hi - lo) / counts.length;
    }

    /** Sum of all counts. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Counts divided by the total (each bin's share); all zero for an empty histogram. */
    public double[] fractions() {
        long t = total();
        double[] f = new double[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = t == 0 ? 0 : counts[i] / (double) t;
        }
        return f;
    }
}
