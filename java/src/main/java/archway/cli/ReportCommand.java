package archway.cli;

import archway.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nas report RUN_DIR}: writes the run's report.html. */
@Command(name = "report", header = "Write a run directory's self-contained report.html.",
        mixinStandardHelpOptions = true,
        description = {"Write RUN_DIR/report.html: one self-contained page (pictures inlined, "
                + "no network) with the result, the found cell drawn as a graph (Graphviz dot "
                + "when installed, Java2D otherwise), loss and accuracy curves, the mixing "
                + "weights over the epochs, ZO-DARTS+ zero weights and temperature, ZO-DARTS++ "
                + "expected parameters against the band, the Pareto front when the run wrote "
                + "pareto.json, the per-epoch table and the configuration. "
                + "nas search and nas train write it at the end of every run.",
                "", "Example: nas report runs/darts-nb201-fashion-mnist-mini-20261129-120000", ""})
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by nas search or nas train.")
    Path dir;

    @Override
    public Integer call() {
        System.out.println("report: " + RunReport.write(dir));
        return 0;
    }
}
