package archway.search;

import java.util.Arrays;
import java.util.List;

/**
 * The search algorithms (specs/darts-family.md, specs/zo-darts.md). The gradient family runs one
 * architecture step per batch ({@link SearchStep}); the zeroth-order family one per window of weight steps.
 */
public enum Algorithm {
    /** First-order DARTS. */
    DARTS("darts"),
    /** Second-order (unrolled) DARTS. */
    DARTS2("darts2"),
    /** Architecture-aware minimisation (A²M) on top of first-order DARTS. */
    A2M("a2m"),
    /** ZO-DARTS: zeroth-order hypergradient, softmax. */
    ZO_DARTS("zo-darts"),
    /** ZO-DARTS+: annealed sparsemax, zero-weight candidates skipped. */
    ZO_DARTS_PLUS("zo-darts-plus"),
    /** ZO-DARTS++: size-variable NB201 under a parameter band. */
    ZO_DARTS_PP("zo-darts-pp");

    private final String label;

    Algorithm(String label) {
        this.label = label;
    }

    /** The name used in config.json, result.json and on the command line. */
    public String label() { return label; }

    /** Zeroth-order family (one architecture update per window of weight steps). */
    public boolean zerothOrder() {
        return this == ZO_DARTS || this == ZO_DARTS_PLUS || this == ZO_DARTS_PP;
    }

    /** Every label, in declaration order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Algorithm::label).toList();
    }

    /** The algorithm named {@code s}; IllegalArgumentException naming the known ones otherwise. */
    public static Algorithm parse(String s) {
        for (Algorithm a : values()) {
            if (a.label.equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm '" + s + "' (known: " + String.join(", ", labels()) + ")");
    }
}
