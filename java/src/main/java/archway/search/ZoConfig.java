package archway.search;

import java.util.Arrays;
import java.util.List;

/**
 * The zeroth-order family's settings (specs/zo-darts.md), part of {@link SearchConfig#zo()}. Defaults from
 * {@link #defaults()}.
 *
 * @param t0          initial sparsemax temperature
 * @param decay       factor applied to the temperature every {@code every} epochs
 * @param every       epochs between temperature decays
 * @param interval    weight steps per architecture update (R)
 * @param muScale     mu = muScale * ||alpha||_2
 * @param estimator   one-sided (twin network) or two-point
 * @param q           directions averaged by the two-point estimator
 * @param expandEpoch ZO-DARTS++: epoch at which 5x5/3x3 kernels, beta and gamma are enabled
 * @param budget      ZO-DARTS++: none, an explicit band in parameters, or a small / medium / large preset
 * @param budgetSamples architectures sampled to turn a preset into a band
 * @param derive      argmax or sample
 * @param archLr      Adam learning rate on theta (betas and weight decay come from {@link SearchConfig#arch()})
 * @param maxSteps    weight steps per epoch at most (0: the whole training half; small values for smoke tests)
 */
public record ZoConfig(double t0, double decay, int every, int interval, double muScale, Estimator estimator, int q,
                       int expandEpoch, Budget budget, int budgetSamples, Derive derive, double archLr, int maxSteps) {
    /** The two hypergradient estimators of the spec. */
    public enum Estimator {
        ONE_SIDED("one-sided"), TWO_POINT("two-point");

        private final String label;

        Estimator(String label) {
            this.label = label;
        }

        public String label() { return label; }

        public static Estimator parse(String s) {
            for (Estimator e : values()) {
                if (e.label.equals(s)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown estimator '" + s + "' (known: one-sided, two-point)");
        }
    }

    /** How ZO-DARTS++ turns its final probabilities into one network. */
    public enum Derive {
        ARGMAX("argmax"), SAMPLE("sample");

        private final String label;

        Derive(String label) {
            this.label = label;
        }

        public String label() { return label; }

        public static Derive parse(String s) {
            for (Derive d : values()) {
                if (d.label.equals(s)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown derivation '" + s + "' (known: argmax, sample)");
        }
    }

    /** ZO-DARTS++'s parameter budget. */
    public sealed interface Budget {
        /** The text form ("", "LOW:HIGH", "small" ...), as recorded in config.json. */
        String label();

        /** No budget: the size is unconstrained. */
        record None() implements Budget {
            public String label() { return ""; }
        }

        /** An explicit band [lower, upper] in parameters. */
        record Band(double lower, double upper) implements Budget {
            public Band {
                if (!(lower >= 0) || !(upper > lower)) {
                    throw new IllegalArgumentException("a parameter band needs 0 <= LOW < HIGH, got " + lower + ":" + upper);
                }
            }

            public String label() { return String.format("%.0f:%.0f", lower, upper); }
        }

        /** A band of percentiles of architectures sampled at expansion. */
        record Preset(Size size) implements Budget {
            public String label() { return size.label(); }
        }

        /** The presets: small = [0, P20] (0 parameters, not P0), medium = [P40, P60], large = [P80, P95]. */
        enum Size {
            SMALL("small", -1, 20), MEDIUM("medium", 40, 60), LARGE("large", 80, 95);

            private final String label;
            private final double lo, hi;

            Size(String label, double lo, double hi) {
                this.label = label;
                this.lo = lo;
                this.hi = hi;
            }

            public String label() { return label; }

            /** The lower percentile; negative for small, whose band starts at 0 parameters. */
            public double lowerPercentile() { return lo; }

            public double upperPercentile() { return hi; }
        }

        /** "" (none), "LOW:HIGH" (k and M suffixes allowed) or small | medium | large. */
        static Budget parse(String s) {
            if (s == null || s.isEmpty()) {
                return new None();
            }
            for (Size z : Size.values()) {
                if (z.label.equals(s)) {
                    return new Preset(z);
                }
            }
            String[] parts = s.split(":", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("a budget is LOW:HIGH or small | medium | large, got '" + s + "'");
            }
            return new Band(count(parts[0]), count(parts[1]));
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
                throw new IllegalArgumentException("budget: '" + s + "' is not a parameter count");
            }
        }
    }

    public ZoConfig {
        if (!(t0 > 0) || !(decay > 0) || every < 1 || interval < 1 || !(muScale > 0) || q < 1 || expandEpoch < 0
                || budgetSamples < 10 || !(archLr > 0) || maxSteps < 0 || estimator == null || budget == null
                || derive == null) {
            throw new IllegalArgumentException("temperature t0, decay and mu scale must be > 0; decay interval, update"
                    + " interval and q >= 1; expansion epoch >= 0; budget samples >= 10; arch lr > 0");
        }
    }

    /** Spec defaults: T0 1.5, x0.75 every 5 epochs, R = 10, mu = 0.005 ||alpha||, one-sided, expand at 20. */
    public static ZoConfig defaults() {
        return new ZoConfig(1.5, 0.75, 5, 10, 0.005, Estimator.ONE_SIDED, 1, 20, new Budget.None(), 1000, Derive.ARGMAX,
                1.5e-2, 0);
    }

    /** Every algorithm label of the family. */
    public static List<String> algorithms() {
        return Arrays.stream(Algorithm.values()).filter(Algorithm::zerothOrder).map(Algorithm::label).toList();
    }
}
