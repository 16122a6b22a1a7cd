package archway.cli;

import archway.cluster.ClusterAddress;
import archway.cluster.ClusterOptions;
import archway.cluster.ClusterTrialRunner;
import archway.trial.LocalTrialRunner;
import archway.trial.TrialEvaluator;
import archway.trial.TrialRunner;
import java.io.PrintStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --cluster and friends: run a command's trials on a cluster of nas workers instead of this machine. */
final class ClusterCoordinatorOptions {
    @Option(names = "--cluster", paramLabel = "HOST:PORT",
            description = "Run the trials on the cluster of nas workers reachable at HOST:PORT instead of locally.")
    String cluster;
    @Option(names = "--cluster-bind", defaultValue = ClusterOptions.DEFAULT_BIND, paramLabel = "ADDR",
            description = "With --cluster: this machine's IP address the workers connect back to (default ${DEFAULT-VALUE}).")
    String bind;
    @Option(names = "--cluster-port", description = "With --cluster: port this coordinator listens on (default 5701, or the next free one).")
    Integer port;
    @Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    /**
     * The cluster runner with --cluster (the workers evaluate the trials with their own build), else a local pool
     * of {@code localSlots} running {@code local}.
     */
    TrialRunner runner(TrialEvaluator local, int localSlots, PrintStream log) {
        if (cluster == null) {
            return new LocalTrialRunner(local, localSlots);
        }
        ClusterOptions o = ClusterOptions.of(ClusterAddress.parse(cluster, "--cluster"), bind, port, secret.name,
                secret.secret);
        return new ClusterTrialRunner(o, log);
    }
}
