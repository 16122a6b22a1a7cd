package archway.flatnas;

import archway.evo.Nsga2;
import archway.evo.SearchSettings;
import archway.run.RunDirectory;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialEvaluator;
import archway.trial.TrialProblemProvider;
import archway.trial.TrialRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small FlatNAS run (mbv3 space, the FlatNAS objectives and run folder) on {@link FlatnasRunTest}'s synthetic
 * trials, for the cluster tests: worker JVMs on the test class path evaluate its trials through this
 * {@link TrialProblemProvider}, since real mbv3 training is not there yet.
 */
public final class SyntheticFlatnas implements TrialProblemProvider {
    @Override
    public Map<String, TrialEvaluator> evaluators() {
        return Map.of(FlatnasProblem.TRIAL_KIND, FlatnasRunTest::synthetic);
    }

    /** Initial design of 12, then {@code iterations} iterations of 3 candidates, all through {@code runner}. */
    public static Map<String, Object> run(TrialRunner runner, Path dir, int iterations, PrintStream log) {
        FlatnasProblem problem = new FlatnasProblem(new Mbv3GeneSpace(List.of()), 1, 28, 10, 3_500_000, 0.5,
                new TrialBudget(1, 100), 5, Map.of("dataset", "synthetic"));
        SearchSettings settings = new SearchSettings(12, iterations, 3, new Nsga2.Settings(12, 4, 0.9, 20), 10, 5);
        return new FlatnasRun(problem, settings, Map.of("dataset", "synthetic"), new RunDirectory(dir), log)
                .run(runner, false, genes -> Map.of("mce", 42.0));
    }
}
