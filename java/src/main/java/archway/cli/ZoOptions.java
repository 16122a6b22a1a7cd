package archway.cli;

import archway.UserError;
import archway.search.ZoConfig;
import picocli.CommandLine.Option;

/** The {@code nas search} flags of the zeroth-order algorithms (zo-darts, zo-darts-plus, zo-darts-pp). */
final class ZoOptions {
    @Option(names = "--temp-t0", defaultValue = "1.5", description = "ZO: initial sparsemax temperature (default ${DEFAULT-VALUE}).")
    double t0;
    @Option(names = "--temp-decay", defaultValue = "0.75", description = "ZO: temperature factor (default ${DEFAULT-VALUE}).")
    double decay;
    @Option(names = "--temp-every", defaultValue = "5", description = "ZO: epochs between temperature decays (default ${DEFAULT-VALUE}).")
    int every;
    @Option(names = "--zo-interval", defaultValue = "10", description = "ZO: weight steps per architecture update R (default ${DEFAULT-VALUE}).")
    int interval;
    @Option(names = "--zo-mu", defaultValue = "0.005", description = "ZO: mu = this x ||alpha||_2 (default ${DEFAULT-VALUE}).")
    double mu;
    @Option(names = "--zo-estimator", defaultValue = "one-sided", description = "ZO: one-sided (twin network) | two-point (default ${DEFAULT-VALUE}).")
    String estimator;
    @Option(names = "--zo-q", defaultValue = "1", description = "ZO: directions averaged by the two-point estimator (default ${DEFAULT-VALUE}).")
    int q;
    @Option(names = "--zo-arch-lr", defaultValue = "1.5e-2", description = "ZO: Adam learning rate on the architecture (default ${DEFAULT-VALUE}).")
    double archLr;
    @Option(names = "--expand-epoch", defaultValue = "20", description = "zo-darts-pp: epoch enabling 5x5/3x3 kernels, depth and the budget (default ${DEFAULT-VALUE}).")
    int expandEpoch;
    @Option(names = "--budget", defaultValue = "", description = "zo-darts-pp: parameter band LOW:HIGH (k/M suffixes) or small | medium | large "
            + "(percentiles of architectures sampled from the probabilities at --expand-epoch); default unconstrained.")
    String budget;
    @Option(names = "--budget-samples", defaultValue = "1000", description = "zo-darts-pp: samples behind a small/medium/large band (default ${DEFAULT-VALUE}).")
    int budgetSamples;
    @Option(names = "--derive", defaultValue = "argmax", description = "zo-darts-pp: final architecture argmax | sample (default ${DEFAULT-VALUE}).")
    String derive;

    @Option(names = "--zo-max-steps", defaultValue = "0", description = "ZO: weight steps per epoch at most (0: all; for smoke runs).")
    int maxSteps;

    ZoConfig config() {
        try {
            return new ZoConfig(t0, decay, every, interval, mu, ZoConfig.Estimator.parse(estimator), q, expandEpoch,
                    ZoConfig.Budget.parse(budget), budgetSamples, ZoConfig.Derive.parse(derive), archLr, maxSteps);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + " (flags --temp-t0, --temp-decay, --temp-every, --zo-interval, --zo-mu,"
                    + " --zo-estimator, --zo-q, --expand-epoch, --budget, --budget-samples, --derive, --zo-arch-lr)");
        }
    }
}
