package archway.trial;

import java.util.Map;

/**
 * Adds trial problems to {@link TrialProblems#builtIn()} from outside Archway (a library embedding it, or tests):
 * implementations listed in {@code META-INF/services/archway.trial.TrialProblemProvider} on a worker's class path
 * are found with {@link java.util.ServiceLoader}, so that worker can evaluate those problems' trials.
 */
public interface TrialProblemProvider {
    /** Evaluators by problem name ({@link TrialSpec#problem()}). */
    Map<String, TrialEvaluator> evaluators();
}
