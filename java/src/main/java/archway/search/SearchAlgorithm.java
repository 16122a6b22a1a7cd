package archway.search;

import archway.data.BatchLoader;
import archway.data.Dataset;
import archway.nn.Network;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import java.io.PrintStream;
import java.util.Map;

/**
 * One algorithm family inside the {@link Search} driver: it owns the supernet, the optimisers and the
 * architecture parameters and runs the steps of an epoch; the driver owns data, loaders, validation,
 * best-genotype tracking, checkpoints, metrics, events and the result.
 */
interface SearchAlgorithm extends AutoCloseable {
    /** The gradient family ({@link GradientSearch}) or the zeroth-order family ({@link ZoSearchAlgorithm}). */
    static SearchAlgorithm create(SearchConfig cfg, Dataset train, RunDirectory dir, PrintStream log) {
        return cfg.algo().zerothOrder() ? new ZoSearchAlgorithm(cfg, train, dir, log) : new GradientSearch(cfg, train, dir);
    }

    /** Rejects settings the algorithm's family cannot run, before the run directory is opened or anything allocated. */
    static void check(SearchConfig cfg) {
        if (cfg.algo().zerothOrder()) {
            ZoSearchAlgorithm.check(cfg);
        } else {
            GradientSearch.check(cfg);
        }
    }

    Network network();

    /** Adds this family's settings to config.json (compared on resume). */
    void describe(Map<String, Object> config);

    /** Called before each epoch's steps (temperature, expansion, regulariser weights). */
    void beginEpoch(int epoch);

    /** Steps the epoch will take with these loaders (what the progress bar counts). */
    int steps(BatchLoader train, BatchLoader val);

    /** Runs one epoch's {@code steps} steps at weight learning rate {@code lr}. */
    EpochSteps epoch(int epoch, float lr, int steps, BatchLoader train, BatchLoader val, Progress bar);

    /** Writes the mixing weights of the current architecture parameters (no perturbation) into the network. */
    void showArchitecture();

    /** The genotype derived from the current architecture parameters. */
    String genotype();

    /** This family's per-epoch fields of metrics.jsonl (probabilities, table accuracies, temperature, ...). */
    void describeEpoch(Map<String, Object> metrics);

    /** Extra text for the epoch's progress line (may be empty). */
    String logSuffix();

    /** The network, optimiser and architecture state into a checkpoint. */
    void save(Checkpoint ck);

    void restore(Checkpoint ck);

    /** This family's result.json fields (after the last epoch); may write extra files into {@code dir}. */
    void finish(Map<String, Object> result, Dataset train, RunDirectory dir, PrintStream log);

    @Override
    void close();

    /**
     * What an epoch's steps measured. {@code trainImages} images went through weight steps and
     * {@code imagesRead} images were read in all (the throughput of the epoch).
     */
    record EpochSteps(int steps, double trainLossSum, long trainHits, long trainImages, long imagesRead,
                      Map<String, Object> fields) {
    }
}
