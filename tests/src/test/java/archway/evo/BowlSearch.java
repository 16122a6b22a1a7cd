package archway.evo;

import archway.trial.TrialEvaluator;
import archway.trial.TrialProblemProvider;
import archway.trial.TrialRunner;
import java.util.Map;

/**
 * The synthetic search of {@link SurrogateSearchTest} for other test packages (the cluster tests run it on
 * worker JVMs, which find its evaluator through this {@link TrialProblemProvider}).
 */
public final class BowlSearch implements TrialProblemProvider {
    @Override
    public Map<String, TrialEvaluator> evaluators() {
        return Map.of(new SurrogateSearchTest.Bowl().trial(new int[5]).problem(), SurrogateSearchTest.Bowl::evaluate);
    }

    /** Initial design of 20, then {@code iterations} iterations of 4 candidates, all through {@code runner}. */
    public static SearchState run(TrialRunner runner, int iterations, long seed) {
        SearchSettings settings = new SearchSettings(20, iterations, 4, new Nsga2.Settings(16, 8, 0.9, 20), 10, seed);
        return new SurrogateSearch(new SurrogateSearchTest.Bowl(), settings, runner, SurrogatePicker.standard())
                .run(SearchState.empty(), s -> { });
    }
}
