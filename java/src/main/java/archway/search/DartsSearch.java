package archway.search;

import archway.run.RunStart;
import java.io.PrintStream;
import java.util.Map;

/**
 * The gradient family's entry point (darts, darts2, a2m on every base), kept for callers of the map API:
 * it runs the one driver, {@link Search}, and returns result.json as a map. New code can use {@link Search}
 * directly for a typed {@link SearchResult} and {@link SearchEvent}s.
 *
 * <pre>{@code
 * SearchConfig cfg = SearchConfig.defaults("nb201", "darts", "darts", "fashion-mnist-mini", Path.of("runs/x"))
 *         .withSize(4, 8, 1, 32);
 * Map<String, Object> result = new DartsSearch(cfg, System.err).run(false);
 * String genotype = (String) result.get("genotype");
 * }</pre>
 */
public final class DartsSearch {
    private SearchConfig cfg;
    private final PrintStream log;
    private SearchListener listener = SearchListener.NONE;

    /**
     * @param cfg a configuration whose algo is darts, darts2 or a2m
     * @param log where progress lines and notes go (e.g. {@code System.err})
     */
    public DartsSearch(SearchConfig cfg, PrintStream log) {
        if (cfg.algo().zerothOrder()) {
            throw new IllegalArgumentException("DartsSearch runs the gradient family, not " + cfg.algo().label()
                    + " (use ZoSearch or Search)");
        }
        this.cfg = cfg;
        this.log = log;
    }

    /** Searches on a seeded random subset of this many training images (0 = all; for quick checks). */
    public DartsSearch trainLimit(int images) {
        if (images < 0) {
            throw new IllegalArgumentException("the train limit must be >= 0");
        }
        this.cfg = cfg.withTrainLimit(images);
        return this;
    }

    /** Receives the run's typed events. */
    public DartsSearch listener(SearchListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Runs the search, writing the run directory as it goes (config.json; one metrics.jsonl line per epoch
     * with losses, accuracies, genotype and probabilities; checkpoint.bin after every epoch; alpha-heatmap.png),
     * and returns what it writes to result.json: {@code algo, base, space, dataset, genotype} (the final one:
     * NB201 string or DARTS {@code Genotype(...)}), the space's lookups of it (nb201: {@code nb201_index},
     * {@code nb201_<cifar10|cifar100|imagenet16-120>_accuracy} when the table is available),
     * {@code best_epoch, best_val_loss, genotype_best_val_loss} and {@code best_}-prefixed lookups,
     * {@code alpha, probabilities} (rows of lists), {@code search_seconds, supernet_params, peak_rss_mb}.
     *
     * @param resume continue from the checkpoint in the run directory (same configuration) instead of starting
     * @throws archway.UserError for settings the space cannot run (e.g. pc-darts with C not a multiple of 4)
     * @throws archway.data.DataFormatException when the dataset is missing or malformed
     */
    public Map<String, Object> run(boolean resume) {
        return run(RunStart.of(resume));
    }

    /** Runs the search, starting its run directory as {@code start} says, and returns result.json. */
    public Map<String, Object> run(RunStart start) {
        return new Search(cfg, log).listener(listener).run(start).fields();
    }
}
