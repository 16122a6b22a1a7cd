package archway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas data}: dataset tools; on its own it prints its usage. */
@Command(name = "data", header = "Inspect the datasets Archway can search on.",
        mixinStandardHelpOptions = true,
        description = {"Inspect the datasets Archway can search on. "
                + "Datasets: fashion-mnist-mini (bundled, default), fashion-mnist, cifar10, cifar100, medmnist."},
        subcommands = {DataInfoCommand.class, DataCorruptCommand.class, CommandLine.HelpCommand.class})
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
