package archway.nachos;

import java.util.Arrays;

/**
 * Exit thresholds after training, on validation outputs: every combination of the grid {0.1, 0.2, 0.3, 0.5, 0.6,
 * 0.7, 0.8} over the early exits with eps_1 >= 0.7, keeping the best accuracy (ties: fewer average MACs, then the
 * first combination in grid order); then the repair step: from the last early exit backwards, lower its threshold
 * by 0.1 (not below 0.1) while the average MACs exceed the budget and the accuracy after lowering stays >= top1_min.
 * Thresholds are held in tenths so that the grid and the repair steps are exact.
 */
public final class ThresholdTuner {
    static final int[] GRID_TENTHS = {1, 2, 3, 5, 6, 7, 8};
    static final int FIRST_MIN_TENTHS = 7;
    static final int FLOOR_TENTHS = 1;

    private final double[][] confidence;
    private final boolean[][] correct;
    private final double[] exitMacs;

    /**
     * @param confidence c[i][j] on the validation split (final column ignored: the final exit takes everyone left)
     * @param correct    whether exit j's prediction for sample i is right
     * @param exitMacs   E_j, MACs of leaving at exit j
     */
    public ThresholdTuner(double[][] confidence, boolean[][] correct, double[] exitMacs) {
        if (confidence.length == 0 || confidence.length != correct.length) {
            throw new IllegalArgumentException("need the same non-zero number of confidence and correctness rows");
        }
        this.confidence = confidence;
        this.correct = correct;
        this.exitMacs = exitMacs.clone();
    }

    /** Thresholds with what they give on the validation split: top-1 (fraction), average MACs, per-exit shares. */
    public record Outcome(double[] thresholds, double top1, double macs, double[] rates, double[] exitTop1) {
    }

    /** The best grid combination. */
    public Outcome tune() {
        int early = exitMacs.length - 1;
        int[] index = new int[early];
        Outcome best = null;
        while (true) {
            int[] tenths = new int[early];
            for (int j = 0; j < early; j++) {
                tenths[j] = GRID_TENTHS[index[j]];
            }
            if (tenths[0] >= FIRST_MIN_TENTHS) {
                Outcome o = evaluate(tenths);
                if (best == null || o.top1 > best.top1 || (o.top1 == best.top1 && o.macs < best.macs)) {
                    best = o;
                }
            }
            int j = early - 1;
            while (j >= 0 && ++index[j] == GRID_TENTHS.length) {
                index[j--] = 0;
            }
            if (j < 0) {
                return best;
            }
        }
    }

    /** The repair step from the given thresholds (usually {@link #tune()}'s). */
    public Outcome repair(Outcome start, double top1Min, double macsMax) {
        int[] tenths = tenths(start.thresholds());
        Outcome current = evaluate(tenths);
        for (int j = tenths.length - 1; j >= 0; j--) {
            while (current.macs > macsMax && tenths[j] - 1 >= FLOOR_TENTHS) {
                tenths[j]--;
                Outcome lowered = evaluate(tenths);
                if (lowered.top1 < top1Min) {
                    tenths[j]++;
                    break;
                }
                current = lowered;
            }
        }
        return current;
    }

    /** What the given thresholds (eps_1..eps_{J-1}) give on these outputs (e.g. the test split's). */
    public Outcome outcome(double[] thresholds) {
        if (thresholds.length != exitMacs.length - 1) {
            throw new IllegalArgumentException("need " + (exitMacs.length - 1) + " thresholds, got " + thresholds.length);
        }
        return evaluate(tenths(thresholds));
    }

    /** What thresholds (in tenths) give on the validation split. */
    Outcome evaluate(int[] tenths) {
        double[] eps = new double[tenths.length];
        for (int j = 0; j < eps.length; j++) {
            eps[j] = tenths[j] / 10.0;
        }
        int[] exit = ExitScores.decisions(confidence, eps);
        int exits = exitMacs.length;
        long[] right = new long[exits];
        long[] taken = new long[exits];
        long total = 0;
        for (int i = 0; i < exit.length; i++) {
            taken[exit[i]]++;
            if (correct[i][exit[i]]) {
                right[exit[i]]++;
                total++;
            }
        }
        double[] rates = ExitScores.rates(exit, exits);
        double macs = 0;
        double[] exitTop1 = new double[exits];
        for (int j = 0; j < exits; j++) {
            macs += rates[j] * exitMacs[j];
            exitTop1[j] = taken[j] == 0 ? Double.NaN : right[j] / (double) taken[j];
        }
        return new Outcome(eps, total / (double) exit.length, macs, rates, exitTop1);
    }

    private static int[] tenths(double[] eps) {
        return Arrays.stream(eps).mapToInt(e -> (int) Math.round(e * 10)).toArray();
    }
}
