package archway.search;

import java.util.Map;

/**
 * The outcome of a search: the final genotype, the one at the epoch of lowest validation loss, and
 * result.json as {@code fields} (NAS-Bench-201 accuracies of the cell, probabilities, algorithm-specific
 * numbers such as ZO-DARTS++'s parameter counts).
 *
 * @param algo           the algorithm that searched
 * @param space          the cell space searched
 * @param genotype       derived from the final architecture parameters
 * @param bestEpoch      1-based epoch of the lowest validation loss
 * @param bestValLoss    that loss (whole validation split, evaluation mode)
 * @param bestGenotype   the genotype at that epoch
 * @param searchSeconds  wall time of all epochs (over resumes)
 * @param fields         result.json
 */
public record SearchResult(Algorithm algo, SpaceKind space, String genotype, int bestEpoch, double bestValLoss,
                           String bestGenotype, double searchSeconds, Map<String, Object> fields) {
    public SearchResult {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
