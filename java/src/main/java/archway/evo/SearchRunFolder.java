package archway.evo;

import archway.UserError;
import archway.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The start of a surrogate-assisted search's run folder, shared by every such run (FlatNAS, NACHOS): a new run
 * writes {@link #CONFIG}; a resumed one must find the same configuration there and continues from
 * {@link #STATE}, the checkpoint written after the initial design and every iteration (metrics.jsonl is cut back
 * to it).
 */
public final class SearchRunFolder {
    public static final String CONFIG = "config.json";
    public static final String STATE = "search-state.json";

    private SearchRunFolder() {
    }

    /** The state to continue from: empty for a new run, the checkpoint's for a resumed one. */
    public static SearchState start(RunDirectory dir, String configJson, boolean resume, PrintStream log) {
        Path config = dir.file(CONFIG);
        if (!resume) {
            try {
                Files.createDirectories(config.getParent()); // a new --out directory
                Files.writeString(config, configJson, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + config, e);
            }
            return SearchState.empty();
        }
        String written;
        try {
            written = Files.readString(config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("--resume: cannot read " + config + ": " + e.getMessage(), e);
        }
        if (!written.equals(configJson)) {
            throw new UserError("--resume: " + config + " was written by a different configuration; "
                    + "use the same flags or a new --out directory");
        }
        if (!Files.exists(dir.file(STATE))) {
            return SearchState.empty();
        }
        SearchState s = SearchStateFile.read(dir.file(STATE));
        dir.truncateMetrics(s.history().size());
        log.printf(Locale.ROOT, "resuming after iteration %d (archive %d)%n", s.iteration(), s.archive().size());
        return s;
    }
}
