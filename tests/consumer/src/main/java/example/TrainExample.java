package example;

import archway.train.TrainConfig;
import archway.train.TrainEvent;
import archway.train.Trainer;
import java.nio.file.Path;
import java.util.Map;

/** Training one discrete network from scratch, e.g. the cell a search found. */
public final class TrainExample {
    private TrainExample() {
    }

    /** Trains an NB201 cell (architecture string or six op digits) for one epoch of 1,024 images; returns result.json. */
    public static Map<String, Object> run(String arch, Path runDir) {
        // README:train
        TrainConfig cfg = TrainConfig.defaults("nb201", arch, "fashion-mnist-mini", runDir)
                .withSize(1, 4, 1, 16)   // epochs, channels C, cells per stage N, batch
                .withSeed(7, 2)          // seed, threads
                .withTrainLimit(1024);   // a seeded subset of 1,024 training images
        Map<String, Object> result = new Trainer(cfg, System.err)
                .listener(event -> {     // typed events, on the training thread between epochs
                    if (event instanceof TrainEvent.EpochFinished e) {
                        System.out.printf("epoch %d/%d: test accuracy %.2f%%%n", e.epoch(), e.epochs(), e.testAccuracy());
                    }
                })
                .run(false);
        double accuracy = (Double) result.get("test_accuracy");  // percent, on the 1,000 bundled test images
        long params = (Long) result.get("params");
        System.out.printf("test accuracy %.2f%% with %d parameters%n", accuracy, params);
        // README:end
        return result;
    }
}
