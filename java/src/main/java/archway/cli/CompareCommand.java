package archway.cli;

import archway.UserError;
import archway.report.CompareReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nas compare RUN_DIR...}: one page comparing several runs. */
@Command(name = "compare", header = "Write one HTML page comparing several runs.",
        mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML page comparing runs (e.g. the seeds of an "
                + "experiment): results and differing configuration side by side, loss and "
                + "accuracy curves overlaid, each run's found cell.",
                "", "Example: nas compare runs/a2m-seed0 runs/a2m-seed1 --out runs/a2m-seeds.html", ""})
final class CompareCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories written by nas search or nas train.")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "compare.html",
            description = "The page to write (default ${DEFAULT-VALUE} in the current folder).")
    Path out;

    @Override
    public Integer call() {
        if (out.getParent() != null && !java.nio.file.Files.isDirectory(out.getParent())) {
            throw new UserError("--out: folder " + out.getParent() + " does not exist");
        }
        System.out.println("compare: " + CompareReport.write(dirs, out));
        return 0;
    }
}
