package archway.trial;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trial problems this build can evaluate, by {@link TrialSpec#problem()}: the evaluator a worker (or a local
 * runner serving several problems) hands every spec to. A spec of a problem it does not know fails with a
 * message naming those it knows (e.g. a worker of an older build).
 */
public final class TrialProblems implements TrialEvaluator {
    private final Map<String, TrialEvaluator> byProblem = new TreeMap<>();

    public TrialProblems(Map<String, TrialEvaluator> evaluators) {
        byProblem.putAll(evaluators);
    }

    /** Every problem whose trials can be evaluated from the spec alone. */
    public static TrialProblems builtIn() {
        return new TrialProblems(Map.of(TrainTrial.PROBLEM, new TrainTrial()));
    }

    public List<String> problems() {
        return List.copyOf(byProblem.keySet());
    }

    @Override
    public Map<String, Double> evaluate(TrialSpec spec) throws Exception {
        TrialEvaluator e = byProblem.get(spec.problem());
        if (e == null) {
            throw new IllegalArgumentException("unknown trial problem '" + spec.problem() + "' (this build knows "
                    + byProblem.keySet() + ")");
        }
        return e.evaluate(spec);
    }
}
