package archway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas landscape}: flatness of the NAS-Bench-201 accuracy landscape (neighbourhoods, paths, report). */
@Command(name = "landscape", header = "Analyse the NAS-Bench-201 architecture landscape.",
        mixinStandardHelpOptions = true,
        description = {"Analyse the NAS-Bench-201 architecture landscape (Hamming distance over the 6 edge ops): "
                + "neighbour accuracies of accurate vs poor architectures, and accuracy barriers along shortest paths."},
        subcommands = {LandscapeNeighboursCommand.class, LandscapePathsCommand.class, LandscapeReportCommand.class})
final class LandscapeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
