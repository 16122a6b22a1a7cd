package archway.cli;

import archway.cluster.ClusterOptions;
import picocli.CommandLine.Option;

/** Cluster name and shared secret, the same on every member (nas worker, and --cluster runs). */
final class ClusterSecretOptions {
    @Option(names = "--cluster-name", defaultValue = ClusterOptions.DEFAULT_NAME,
            description = "Cluster name; members with another name form another cluster (default ${DEFAULT-VALUE}).")
    String name;
    @Option(names = "--cluster-secret", description = {"Shared secret (at least 8 characters) every member must know; "
            + "default: $" + ClusterOptions.SECRET_ENV + ".",
            "On the command line it is visible to other users of the machine (ps); prefer the environment variable."})
    String secret;
}
