package archway.flatnas;

import archway.evo.Nsga2;
import archway.evo.SearchSettings;
import archway.run.RunDirectory;
import archway.run.RunStart;
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
 * {@link TrialProblemProvider} (under a problem name of its own, so the real FlatNAS trial stays registered).
 */
public final class SyntheticFlatnas implements TrialProblemProvider {
    public static final String KIND = "flatnas/synthetic";

    @Override
    public Map<String, TrialEvaluator> evaluators() {
        return Map.of(KIND, FlatnasRunTest::synthetic);
    }

    /** Initial design of 12, then {@code iterations} iterations of 3 candidates, all through {@code runner}. */
    public static Map<String, Object> run(TrialRunner runner, Path dir, int iterations, PrintStream log) {
        FlatnasProblem problem = new FlatnasProblem(new Mbv3GeneSpace(List.of()), 1, 28, 10, 3_500_000, 0.5,
                new TrialBudget(1, 100), 5, Map.of("dataset", "synthetic"), KIND);
        SearchSettings settings = new SearchSettings(12, iterations, 3, new Nsga2.Settings(12, 4, 0.9, 20), 10, 5);
        try (RunDirectory rd = RunDirectory.open(dir, RunStart.NEW, log)) {
            return new FlatnasRun(problem, settings, Map.of("dataset", "synthetic"), rd, log)
                    .run(runner, RunStart.NEW, FlatnasRun.FrontMetrics.perMember(genes -> Map.of("mce", 42.0)));
        }
    }
}
