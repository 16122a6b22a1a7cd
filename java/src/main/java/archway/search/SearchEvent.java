package archway.search;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a running search reports to its {@link SearchListener}, in order: per epoch one {@link EpochFinished}
 * (then {@link GenotypeChanged} when the derived genotype differs from the previous epoch's, and
 * {@link CheckpointWritten}), and at the end one {@link Finished}. The same numbers go to metrics.jsonl
 * and result.json; {@code fields} is that JSON line or object.
 */
public sealed interface SearchEvent {
    /**
     * One epoch done.
     *
     * @param epoch         1-based
     * @param epochs        of the whole search
     * @param lr            weight learning rate of the epoch
     * @param trainLoss     mean training loss of the weight steps
     * @param trainAccuracy percent
     * @param valLoss       loss over the whole validation split in evaluation mode, alpha fixed (what the
     *                      lowest-validation-loss genotype is chosen by)
     * @param valAccuracy   percent, same measurement
     * @param genotype      the genotype derived from the current architecture parameters
     * @param imagesPerSecond images the epoch's steps read per second
     * @param seconds       wall time of the epoch (steps and validation)
     * @param fields        the metrics.jsonl line (every algorithm-specific number too)
     */
    record EpochFinished(int epoch, int epochs, double lr, double trainLoss, double trainAccuracy, double valLoss,
                         double valAccuracy, String genotype, double imagesPerSecond, double seconds,
                         Map<String, Object> fields) implements SearchEvent {
    }

    /** The derived genotype after {@code epoch} differs from the one before it ({@code previous}: "" at the first epoch). */
    record GenotypeChanged(int epoch, String previous, String genotype) implements SearchEvent {
    }

    /** The run's state after {@code epoch} is on disk; {@code --resume} continues from there. */
    record CheckpointWritten(int epoch, Path file) implements SearchEvent {
    }

    /** The search is over; {@code result} is what result.json holds. */
    record Finished(SearchResult result) implements SearchEvent {
    }
}
