package archway.evo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses the surrogate for one objective: each kind is scored by the Kendall tau between its out-of-fold
 * predictions (k-fold cross-validation on a seeded shuffle) and the true values; the best-ranking kind (the
 * first listed on a tie) is refitted on all samples.
 */
public final class SurrogatePicker {
    /** The chosen model and every kind's cross-validated tau, in the order the kinds were given. */
    public record Choice(String kind, Surrogate model, Map<String, Double> tau) {
    }

    private final List<Surrogate.Kind> kinds;
    private final int folds;

    public SurrogatePicker(List<Surrogate.Kind> kinds, int folds) {
        if (kinds.isEmpty() || folds < 2) {
            throw new IllegalArgumentException("need at least one surrogate kind and two folds");
        }
        this.kinds = List.copyOf(kinds);
        this.folds = folds;
    }

    /** The spec's pair: the RBF interpolant and the random forest, 5 folds. */
    public static SurrogatePicker standard() {
        return new SurrogatePicker(List.of(RbfSurrogate.KIND, RandomForestSurrogate.KIND), 5);
    }

    public Choice pick(double[][] x, double[] y, long seed) {
        int n = x.length;
        int[] fold = foldOf(n, Math.min(folds, n), seed);
        Map<String, Double> tau = new LinkedHashMap<>();
        Surrogate.Kind best = null;
        double bestTau = Double.NEGATIVE_INFINITY;
        for (Surrogate.Kind kind : kinds) {
            double t = crossValidatedTau(kind, x, y, fold, seed);
            tau.put(kind.name(), t);
            if (t > bestTau) {
                bestTau = t;
                best = kind;
            }
        }
        return new Choice(best.name(), best.fit(x, y, seed), tau);
    }

    private static double crossValidatedTau(Surrogate.Kind kind, double[][] x, double[] y, int[] fold, long seed) {
        int n = x.length;
        int k = 0;
        for (int f : fold) {
            k = Math.max(k, f + 1);
        }
        if (k < 2) {
            return 0;
        }
        double[] predicted = new double[n];
        for (int f = 0; f < k; f++) {
            int trainCount = 0;
            for (int i = 0; i < n; i++) {
                if (fold[i] != f) {
                    trainCount++;
                }
            }
            double[][] tx = new double[trainCount][];
            double[] ty = new double[trainCount];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (fold[i] != f) {
                    tx[j] = x[i];
                    ty[j++] = y[i];
                }
            }
            Surrogate model = kind.fit(tx, ty, seed + f);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    predicted[i] = model.predict(x[i]);
                }
            }
        }
        return KendallTau.tauB(predicted, y);
    }

    /** Sample i's fold: a seeded permutation dealt round-robin into k folds. */
    private static int[] foldOf(int n, int k, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[perm[i]] = i % Math.max(1, k);
        }
        return fold;
    }
}
