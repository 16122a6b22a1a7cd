package archway.trial;

import archway.flatnas.FlatnasTrial;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
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

    /**
     * Every problem whose trials this build can evaluate from the spec alone, plus those of any
     * {@link TrialProblemProvider} on the class path.
     */
    public static TrialProblems builtIn() {
        Map<String, TrialEvaluator> all = new TreeMap<>();
        all.put(TrainTrial.PROBLEM, new TrainTrial());
        all.put(FlatnasTrial.PROBLEM, new FlatnasTrial());
        all.put(archway.nachos.NachosTrial.PROBLEM, new archway.nachos.NachosTrial());
        for (TrialProblemProvider p : ServiceLoader.load(TrialProblemProvider.class)) {
            all.putAll(p.evaluators());
        }
        return new TrialProblems(all);
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
