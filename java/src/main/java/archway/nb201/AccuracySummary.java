package archway.nb201;

import java.util.Arrays;

/**
 * Summary of a distribution of accuracies (percent): count, mean, population standard deviation and
 * quantiles. Quantiles interpolate linearly between order statistics (NumPy's default, "type 7").
 */
public record AccuracySummary(long count, double mean, double std, double min, double p05, double p25, double median,
        double p75, double p95, double max) {

    /** Summary of plain values; needs at least one. */
    public static AccuracySummary of(double[] values) {
        long[] ones = new long[values.length];
        Arrays.fill(ones, 1);
        return ofWeighted(values, ones);
    }

    /**
     * Summary of a multiset: value {@code values[i]} occurs {@code weights[i]} times. Exact (the same as
     * expanding the multiset), which lets a pooled neighbour distribution over millions of neighbours be
     * summarised from one weight per table row.
     */
    public static AccuracySummary ofWeighted(double[] values, long[] weights) {
        if (values.length != weights.length) {
            throw new IllegalArgumentException("values and weights differ in length");
        }
        Integer[] order = new Integer[values.length];
        long n = 0;
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            order[i] = i;
            if (weights[i] < 0) {
                throw new IllegalArgumentException("negative weight at " + i);
            }
            n += weights[i];
            sum += weights[i] * values[i];
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot summarise an empty distribution");
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < values.length; i++) {
            double d = values[i] - mean;
            ss += weights[i] * d * d;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        // Sorted distinct positions with positive weight and their cumulative counts.
        double[] v = new double[values.length];
        long[] cum = new long[values.length];
        int m = 0;
        long c = 0;
        for (Integer i : order) {
            if (weights[i] > 0) {
                c += weights[i];
                v[m] = values[i];
                cum[m++] = c;
            }
        }
        double[] sv = Arrays.copyOf(v, m);
        long[] sc = Arrays.copyOf(cum, m);
        return new AccuracySummary(n, mean, Math.sqrt(ss / n), sv[0], quantile(sv, sc, n, 0.05), quantile(sv, sc, n, 0.25),
                quantile(sv, sc, n, 0.5), quantile(sv, sc, n, 0.75), quantile(sv, sc, n, 0.95), sv[m - 1]);
    }

    private static double quantile(double[] v, long[] cum, long n, double q) {
        double h = (n - 1) * q;
        long lo = (long) Math.floor(h);
        double a = atRank(v, cum, lo);
        double b = atRank(v, cum, Math.min(lo + 1, n - 1));
        return a + (h - lo) * (b - a);
    }

    /** Value of the element with 0-based rank k in the expanded sorted multiset. */
    private static double atRank(double[] v, long[] cum, long k) {
        int lo = 0, hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return v[lo];
    }
}
