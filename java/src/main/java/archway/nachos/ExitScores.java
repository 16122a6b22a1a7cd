package archway.nachos;

/**
 * Early-exit decisions from per-sample exit confidences c[i][j] (j = 0..J-1; the final exit's confidence is 1
 * whatever is passed): the probability of exiting at j, c~_{i,j} = c_{i,j} prod_{l<j}(1 - c_{i,l}); the cumulative
 * score D_{i,j} = sum_{k<=j} c~_{i,k}; and the exit taken, the first j with D_{i,j} >= eps_j.
 */
public final class ExitScores {
    private ExitScores() {
    }

    /** c~_{i,j}; each row sums to 1 because the final confidence is taken as 1. */
    public static double[][] exitProbabilities(double[][] confidence) {
        double[][] p = new double[confidence.length][];
        for (int i = 0; i < p.length; i++) {
            int exits = confidence[i].length;
            p[i] = new double[exits];
            double stay = 1;
            for (int j = 0; j < exits; j++) {
                double c = j == exits - 1 ? 1 : confidence[i][j];
                p[i][j] = c * stay;
                stay *= 1 - c;
            }
        }
        return p;
    }

    /** D_{i,j}, the running sum of c~ over exits. */
    public static double[][] cumulative(double[][] confidence) {
        double[][] d = exitProbabilities(confidence);
        for (double[] row : d) {
            for (int j = 1; j < row.length; j++) {
                row[j] += row[j - 1];
            }
        }
        return d;
    }

    /**
     * Exit taken by each sample for thresholds on the early exits (eps.length = J - 1; the final exit takes
     * everyone left).
     */
    public static int[] decisions(double[][] confidence, double[] eps) {
        double[][] d = cumulative(confidence);
        int[] exit = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (eps.length != d[i].length - 1) {
                throw new IllegalArgumentException("need " + (d[i].length - 1) + " thresholds, got " + eps.length);
            }
            int j = 0;
            while (j < eps.length && d[i][j] < eps[j]) {
                j++;
            }
            exit[i] = j;
        }
        return exit;
    }

    /** Share of samples leaving at each of {@code exits} exits. */
    public static double[] rates(int[] decisions, int exits) {
        long[] count = new long[exits];
        for (int d : decisions) {
            count[d]++;
        }
        double[] r = new double[exits];
        for (int j = 0; j < exits; j++) {
            r[j] = count[j] / (double) decisions.length;
        }
        return r;
    }
}
