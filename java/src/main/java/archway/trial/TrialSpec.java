package archway.trial;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a trial's result depends on: which evaluation ({@code problem}, e.g. "flatnas/mbv3"), the
 * genome, the training budget, the seed and any further settings (dataset, learning rate, ...) as strings.
 * Two specs with equal content have the same {@link #id()}, on any machine and in any JVM, which is what makes
 * trials idempotent and their results deduplicable.
 */
public record TrialSpec(String problem, int[] genes, TrialBudget budget, long seed, Map<String, String> settings) {
    public TrialSpec {
        genes = genes.clone();
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    @Override
    public int[] genes() {
        return genes.clone();
    }

    /** The stable id: SHA-256 (hex) of the canonical JSON of this spec. */
    public String id() {
        return TrialJson.canonicalHash(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrialSpec t && problem.equals(t.problem) && Arrays.equals(genes, t.genes)
                && budget.equals(t.budget) && seed == t.seed && settings.equals(t.settings);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * problem.hashCode() + Arrays.hashCode(genes)) + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return problem + Arrays.toString(genes) + " " + budget + " seed " + seed + " " + settings;
    }
}
