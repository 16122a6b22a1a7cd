package archway.evo;

import java.util.Map;
import java.util.TreeMap;

/**
 * One genome evaluated for real: the iteration that proposed it (0 = initial design), its canonical genes,
 * the id of the trial that measured it and the trial's metrics.
 */
public record ArchiveMember(int iteration, int[] genes, String trialId, Map<String, Double> metrics) {
    public ArchiveMember {
        genes = genes.clone();
        metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    @Override
    public int[] genes() {
        return genes.clone();
    }

    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalStateException("archive member " + trialId + " has no metric '" + name + "'");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchiveMember m && iteration == m.iteration && java.util.Arrays.equals(genes, m.genes)
                && trialId.equals(m.trialId) && metrics.equals(m.metrics);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(genes) + trialId.hashCode();
    }
}
