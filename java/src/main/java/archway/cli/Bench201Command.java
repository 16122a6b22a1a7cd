package archway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas bench201}: the NAS-Bench-201 table (lookup, stats). */
@Command(name = "bench201", header = "Query the bundled NAS-Bench-201 accuracy table.",
        mixinStandardHelpOptions = true,
        description = {"Query the bundled NAS-Bench-201 table (NATS-Bench topology space, 15,625 architectures, "
                + "test accuracy after 200 epochs on CIFAR-10, CIFAR-100, ImageNet16-120). Source: data/nb201/SOURCE.txt."},
        subcommands = {Bench201LookupCommand.class, Bench201StatsCommand.class})
final class Bench201Command implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
