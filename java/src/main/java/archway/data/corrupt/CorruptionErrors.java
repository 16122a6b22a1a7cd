package archway.data.corrupt;

import archway.data.Dataset;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The corruption benchmark's result: error (100 - accuracy, in percent, unnormalised) per corruption and
 * severity, the mean corruption error per corruption (over its five severities) and overall (over the 15).
 */
public record CorruptionErrors(Map<Corruption, double[]> errors) {
    public CorruptionErrors {
        EnumMap<Corruption, double[]> copy = new EnumMap<>(Corruption.class);
        errors.forEach((c, e) -> copy.put(c, e.clone()));
        errors = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Evaluates every corruption and severity of {@code test}.
     *
     * @param accuracy accuracy in percent of the model on a dataset (e.g. a trained network's test accuracy)
     */
    public static CorruptionErrors measure(Dataset test, ToDoubleFunction<Dataset> accuracy, long seed) {
        Map<Corruption, double[]> errors = new EnumMap<>(Corruption.class);
        for (Corruption c : Corruption.values()) {
            double[] e = new double[Corruption.SEVERITIES];
            for (int s = 1; s <= Corruption.SEVERITIES; s++) {
                e[s - 1] = 100 - accuracy.applyAsDouble(CorruptedSets.corrupt(test, c, s, seed));
            }
            errors.put(c, e);
        }
        return new CorruptionErrors(errors);
    }

    /** Mean error over the five severities of one corruption. */
    public double meanError(Corruption c) {
        double[] e = errors.get(c);
        if (e == null) {
            throw new IllegalArgumentException("no errors measured for " + c.id());
        }
        return java.util.Arrays.stream(e).average().orElseThrow();
    }

    /** Mean corruption error: the mean over all corruptions of their mean errors. */
    public double meanCorruptionError() {
        return errors.keySet().stream().mapToDouble(this::meanError).average().orElseThrow();
    }
}
