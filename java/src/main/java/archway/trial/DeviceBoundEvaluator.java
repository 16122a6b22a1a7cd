package archway.trial;

import archway.runtime.Backend;
import java.util.Map;
import java.util.Objects;

/**
 * Runs each trial with {@code backend}'s device current on the runner's thread ({@link Backend#enterThread}):
 * a runner's threads are not the one that opened a CUDA backend, and the CUDA runtime's current device is per
 * thread. On the CPU backend it only forwards.
 */
public record DeviceBoundEvaluator(TrialEvaluator trials, Backend backend) implements TrialEvaluator {
    public DeviceBoundEvaluator {
        Objects.requireNonNull(trials, "trials");
        Objects.requireNonNull(backend, "backend");
    }

    @Override
    public Map<String, Double> evaluate(TrialSpec spec) throws Exception {
        backend.enterThread();
        return trials.evaluate(spec);
    }
}
