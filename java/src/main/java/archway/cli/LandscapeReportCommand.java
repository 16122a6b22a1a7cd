package archway.cli;

import archway.UserError;
import archway.landscape.LandscapeReport;
import archway.nb201.Nb201Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nas landscape report}: the whole landscape study for all three datasets. */
@Command(name = "report", header = "Run the whole landscape analysis and write its report.",
        mixinStandardHelpOptions = true,
        description = {"Run the neighbourhood analysis (radius 1, 2, 3, paper bands), the paper pairs and random pairs "
                + "per band for CIFAR-10, CIFAR-100 and ImageNet16-120; write JSON, PNG and a Markdown summary "
                + "(README.md) stating whether the flatness claims hold. Takes a few seconds."})
final class LandscapeReportCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: bench/results/landscape in the repository).")
    Path out;

    @Option(names = "--random-pairs", defaultValue = "200", paramLabel = "N",
            description = "Random pairs per band and dataset (default ${DEFAULT-VALUE}).")
    int randomPairs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random pairs (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    Bench201TableOption tableOption;

    @Override
    public Integer call() throws IOException {
        if (randomPairs < 1 || randomPairs > 100_000) {
            throw new UserError("--random-pairs: " + randomPairs + " is not in 1..100000");
        }
        Path dir = out;
        if (dir == null) {
            String root = System.getProperty(Nb201Table.REPO_ROOT_PROPERTY);
            dir = (root == null ? Path.of(".") : Path.of(root)).resolve("bench/results/landscape");
        }
        Nb201Table t = tableOption.load();
        StringBuilder cmd = new StringBuilder("./nas landscape report");
        if (out != null) {
            cmd.append(" --out ").append(out);
        }
        if (randomPairs != 200) {
            cmd.append(" --random-pairs ").append(randomPairs);
        }
        if (seed != 1) {
            cmd.append(" --seed ").append(seed);
        }
        if (tableOption.table != null) {
            cmd.append(" --table ").append(tableOption.table);
        }
        new LandscapeReport(t, randomPairs, seed, cmd.toString()).write(dir);
        System.out.println("wrote " + dir.resolve("README.md") + " (and JSON/PNG next to it)");
        return 0;
    }
}
