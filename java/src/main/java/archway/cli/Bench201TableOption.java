package archway.cli;

import archway.nb201.Nb201Table;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --table FILE} option shared by the bench201 and landscape commands. */
final class Bench201TableOption {
    @Option(names = "--table", paramLabel = "FILE",
            description = "NAS-Bench-201 table CSV (default: data/nb201/nats_bench.csv in the repository).")
    Path table;

    /** Loads the table named by --table, or the bundled one. */
    Nb201Table load() {
        return table != null ? Nb201Table.load(table) : Nb201Table.loadDefault();
    }
}
