package archway.trial;

import java.util.Map;

/**
 * Runs one trial: trains and measures the genome its spec describes. Must depend on nothing but the spec
 * (same spec, same metrics), so any runner, local or remote, may run it, re-run it or deduplicate it.
 */
@FunctionalInterface
public interface TrialEvaluator {
    Map<String, Double> evaluate(TrialSpec spec) throws Exception;
}
