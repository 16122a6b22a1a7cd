package archway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas space}: tools for the search spaces; on its own it prints its usage. */
@Command(name = "space", mixinStandardHelpOptions = true,
        description = {"Inspect the search spaces' architectures."},
        subcommands = {SpaceCountCommand.class, CommandLine.HelpCommand.class})
final class SpaceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
