package archway.search;

import java.util.Arrays;
import java.util.List;

/**
 * The bases a gradient-family search runs on (specs/darts-family.md). Each constant carries its rule:
 * which supernet edges it needs, the regulariser weight, the auxiliary skip weight and the weight-step
 * perturbation, so no code compares base names.
 */
public enum Base {
    /** Plain DARTS. */
    DARTS("darts"),
    /** beta-DARTS: lambda * mean over edges of logsumexp(alpha_edge), lambda growing with the epoch. */
    BETA_DARTS("beta-darts"),
    /** SDARTS-RS: the weight step sees randomly perturbed mixing weights. */
    SDARTS_RS("sdarts-rs"),
    /** PC-DARTS: partial-channel edges. */
    PC_DARTS("pc-darts"),
    /** DARTS-: an auxiliary skip connection whose weight decays over the search. */
    DARTS_MINUS("darts-");

    private final String label;

    Base(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** PC-DARTS partial channels (and edge normalisation, unless switched off) in the supernet. */
    public boolean partialChannel() { return this == PC_DARTS; }

    /** DARTS-'s auxiliary skip path on every edge of the supernet, weighted by {@link #auxiliarySkip}. */
    public boolean auxiliarySkipPath() { return this == DARTS_MINUS; }

    /** The beta-DARTS regulariser weight in {@code epoch} (0-based): rate * epoch; 0 for the other bases. */
    public double regulariserWeight(double rate, int epoch) {
        return this == BETA_DARTS ? rate * epoch : 0;
    }

    /**
     * DARTS-'s auxiliary skip weight in {@code epoch} (0-based): linear 1 -> 0 over the search, constant
     * within an epoch (the reference decays per epoch); 0 for the other bases.
     */
    public double auxiliarySkip(int epoch, int epochs) {
        if (this != DARTS_MINUS) {
            return 0;
        }
        return epochs <= 1 ? 1.0 : 1.0 - epoch / (double) (epochs - 1);
    }

    /**
     * SDARTS-RS's perturbation half-width in {@code epoch}: linear 0.03 -> 0.3 over the search; 0 (no
     * perturbation) for the other bases.
     */
    public double perturbation(int epoch, int epochs) {
        return this == SDARTS_RS ? 0.03 + (0.3 - 0.03) * epoch / Math.max(1, epochs - 1) : 0;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Base::label).toList();
    }

    public static Base parse(String s) {
        for (Base b : values()) {
            if (b.label.equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown base '" + s + "' (known: " + String.join(", ", labels()) + ")");
    }
}
