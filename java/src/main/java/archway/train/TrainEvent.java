package archway.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a running {@link Trainer} reports to its {@link TrainListener}, in order: per epoch one
 * {@link EpochFinished} then {@link CheckpointWritten}, and at the end one {@link Finished}. A resumed run reports
 * the epochs it runs. The same numbers go to metrics.jsonl and result.json; {@code fields} is that JSON line or
 * object.
 */
public sealed interface TrainEvent {
    /**
     * One epoch done.
     *
     * @param epoch           1-based
     * @param epochs          of the whole run
     * @param lr              learning rate at the epoch's first step
     * @param trainLoss       mean training loss of the epoch's steps
     * @param trainAccuracy   percent, of the training batches as they were trained on
     * @param testLoss        loss over the whole test split in evaluation mode
     * @param testAccuracy    percent, same measurement
     * @param imagesPerSecond training images per second of the epoch's steps
     * @param seconds         wall time of the epoch (steps and evaluation)
     * @param fields          the metrics.jsonl line
     */
    record EpochFinished(int epoch, int epochs, double lr, double trainLoss, double trainAccuracy, double testLoss,
                         double testAccuracy, double imagesPerSecond, double seconds, Map<String, Object> fields)
            implements TrainEvent {
    }

    /** The run's state after {@code epoch} is on disk; a resumed run continues from there. */
    record CheckpointWritten(int epoch, Path file) implements TrainEvent {
    }

    /**
     * The run is over.
     *
     * @param testAccuracy percent, of the final weights on the test split
     * @param params       weights, biases and batch-norm affine parameters
     * @param macs         multiply-accumulates per image
     * @param seconds      training and evaluation time over every epoch (a resumed run's earlier epochs included)
     * @param fields       what result.json holds
     */
    record Finished(double testAccuracy, double testLoss, long params, long macs, double seconds,
                    Map<String, Object> fields) implements TrainEvent {
    }
}
