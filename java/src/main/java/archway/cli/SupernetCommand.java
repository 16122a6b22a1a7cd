package archway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas supernet}: the once-for-all supernet of the mbv3 space; on its own it prints its usage. */
@Command(name = "supernet", mixinStandardHelpOptions = true,
        description = {"Train and inspect the once-for-all supernet of the mbv3 space (docs/SUPERNET.md)."},
        subcommands = {SupernetTrainCommand.class, SupernetEvalCommand.class, CommandLine.HelpCommand.class})
final class SupernetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
