package archway.search;

import archway.run.RunStart;
import java.io.PrintStream;
import java.util.Map;

/**
 * The zeroth-order family's entry point (zo-darts, zo-darts-plus, zo-darts-pp; specs/zo-darts.md), kept for
 * callers of the map API: it runs the one driver, {@link Search}, with {@code zo} as the family's settings
 * and returns result.json as a map.
 */
public final class ZoSearch {
    private final SearchConfig cfg;
    private final PrintStream log;
    private SearchListener listener = SearchListener.NONE;

    /**
     * @param cfg a configuration whose algo is zo-darts, zo-darts-plus or zo-darts-pp, on the nb201 space
     * @param zo  the zeroth-order settings ({@link ZoConfig#defaults()} follows the spec)
     * @param log where progress lines and notes go (e.g. {@code System.err})
     */
    public ZoSearch(SearchConfig cfg, ZoConfig zo, PrintStream log) {
        if (!cfg.algo().zerothOrder()) {
            throw new IllegalArgumentException("ZoSearch runs " + ZoConfig.algorithms() + ", not " + cfg.algo().label());
        }
        this.cfg = cfg.withZo(zo);
        this.log = log;
    }

    public ZoSearch listener(SearchListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Runs the search, writing the run directory as {@link DartsSearch#run} does, and returns what it writes to
     * result.json: {@code algo, space, dataset, genotype}; for zo-darts and zo-darts-plus the NB201 lookups of
     * the genotype (as {@link DartsSearch#run}); for zo-darts-pp {@code derive, expected_params, derived_params,
     * derived_params_closed_form} and, under a budget, {@code budget_band, derived_in_band}; then
     * {@code best_epoch, best_val_loss, genotype_best_val_loss, temperature, theta, probabilities,
     * search_seconds, supernet_params, peak_rss_mb}.
     *
     * @param resume continue from the checkpoint in the run directory (same configuration) instead of starting
     */
    public Map<String, Object> run(boolean resume) {
        return run(RunStart.of(resume));
    }

    /** Runs the search, starting its run directory as {@code start} says, and returns result.json. */
    public Map<String, Object> run(RunStart start) {
        return new Search(cfg, log).listener(listener).run(start).fields();
    }
}
