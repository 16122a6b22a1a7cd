package archway.search;

import java.util.List;

/**
 * The ZO-DARTS+ / ZO-DARTS++ settings on top of {@link SearchConfig} (specs/zo-darts.md). Defaults from
 * {@link #defaults()}; the CLI overrides them through {@code --temp-*}, {@code --zo-*}, {@code --expand-epoch},
 * {@code --budget} and {@code --derive}.
 *
 * @param t0          initial sparsemax temperature
 * @param decay       factor applied to the temperature every {@code every} epochs
 * @param every       epochs between temperature decays
 * @param interval    weight steps per architecture update (R)
 * @param muScale     mu = muScale * ||theta||_2
 * @param estimator   one-sided (twin network) or two-point
 * @param q           directions averaged by the two-point estimator
 * @param expandEpoch ZO-DARTS++: epoch at which 5x5/3x3 kernels, beta and gamma are enabled
 * @param budget      ZO-DARTS++: "" (unconstrained), "LOW:HIGH" in parameters, or small | medium | large
 * @param budgetSamples architectures sampled to turn a preset into a band
 * @param derive      argmax | sample
 * @param maxSteps    weight steps per epoch at most (0: the whole training half; small values for smoke tests)
 * @param archLr      Adam learning rate on theta (betas and weight decay come from {@link SearchConfig})
 */
public record ZoConfig(double t0, double decay, int every, int interval, double muScale, Estimator estimator, int q,
                       int expandEpoch, String budget, int budgetSamples, String derive, double archLr, int maxSteps) {
    /** The two hypergradient estimators of the spec. */
    public enum Estimator {
        ONE_SIDED("one-sided"), TWO_POINT("two-point");

        private final String flag;

        Estimator(String flag) {
            this.flag = flag;
        }

        public String flag() { return flag; }

        public static Estimator parse(String s) {
            for (Estimator e : values()) {
                if (e.flag.equals(s)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown --zo-estimator '" + s + "' (known: one-sided, two-point)");
        }
    }

    public static final List<String> ALGOS = List.of("zo-darts", "zo-darts-plus", "zo-darts-pp");
    public static final List<String> PRESETS = List.of("small", "medium", "large");

    public ZoConfig {
        if (!(t0 > 0) || !(decay > 0) || every < 1 || interval < 1 || !(muScale > 0) || q < 1 || expandEpoch < 0
                || budgetSamples < 10 || !(archLr > 0) || maxSteps < 0) {
            throw new IllegalArgumentException("--temp-t0, --temp-decay, --zo-mu must be > 0; --temp-every, --zo-interval,"
                    + " --zo-q >= 1; --expand-epoch >= 0; --budget-samples >= 10");
        }
        if (!derive.equals("argmax") && !derive.equals("sample")) {
            throw new IllegalArgumentException("unknown --derive '" + derive + "' (known: argmax, sample)");
        }
        if (!budget.isEmpty() && !PRESETS.contains(budget)) {
            double[] band = band(budget);
            if (!(band[0] >= 0) || !(band[1] > band[0])) {
                throw new IllegalArgumentException("--budget LOW:HIGH needs 0 <= LOW < HIGH, got " + budget);
            }
        }
    }

    /** Spec defaults: T0 1.5, x0.75 every 5 epochs, R = 10, mu = 0.005 ||theta||, one-sided, expand at 20. */
    public static ZoConfig defaults() {
        return new ZoConfig(1.5, 0.75, 5, 10, 0.005, Estimator.ONE_SIDED, 1, 20, "", 1000, "argmax", 1.5e-2, 0);
    }

    /** An explicit band "LOW:HIGH" (parameters; suffixes k and M allowed) as {low, high}. */
    public static double[] band(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--budget must be LOW:HIGH or small | medium | large, got '" + s + "'");
        }
        return new double[] {count(parts[0]), count(parts[1])};
    }

    private static double count(String s) {
        String t = s.trim();
        double scale = 1;
        if (t.endsWith("k") || t.endsWith("K")) {
            scale = 1e3;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M") || t.endsWith("m")) {
            scale = 1e6;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Double.parseDouble(t) * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--budget: '" + s + "' is not a parameter count");
        }
    }

    public ZoConfig withExpandEpoch(int e) {
        return new ZoConfig(t0, decay, every, interval, muScale, estimator, q, e, budget, budgetSamples, derive, archLr, maxSteps);
    }

    public ZoConfig withBudget(String b) {
        return new ZoConfig(t0, decay, every, interval, muScale, estimator, q, expandEpoch, b, budgetSamples, derive, archLr, maxSteps);
    }

    public ZoConfig withEstimator(Estimator e, int q) {
        return new ZoConfig(t0, decay, every, interval, muScale, e, q, expandEpoch, budget, budgetSamples, derive, archLr, maxSteps);
    }

    public ZoConfig withMaxSteps(int n) {
        return new ZoConfig(t0, decay, every, interval, muScale, estimator, q, expandEpoch, budget, budgetSamples, derive,
                archLr, n);
    }

    public ZoConfig withInterval(int r) {
        return new ZoConfig(t0, decay, every, r, muScale, estimator, q, expandEpoch, budget, budgetSamples, derive, archLr, maxSteps);
    }
}
