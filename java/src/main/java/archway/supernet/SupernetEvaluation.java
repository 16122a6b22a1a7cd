package archway.supernet;

import archway.UserError;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.EvalBatches;
import archway.data.Subsets;
import archway.run.RunDirectory;
import archway.runtime.Backends;
import archway.spaces.mbv3.Mbv3Arch;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test accuracy of subnets of a trained supernet run ({@code nas supernet eval}): the run's dataset, its training
 * subset and calibration images as config.json records them, each subnet recalibrated and evaluated on the test
 * split.
 */
public final class SupernetEvaluation {
    private SupernetEvaluation() {
    }

    /**
     * @param calibrationImages images to recalibrate on (null: the run's own setting)
     * @param threads           CPU threads
     */
    public static List<SubnetAccuracy> measure(Path runDir, List<Mbv3Arch> archs, Integer calibrationImages, int threads) {
        JsonNode cfg = config(runDir);
        Backends.standard().threads(threads);
        String dataset = cfg.path("dataset").asText();
        Path dataDir = cfg.path("data_dir").isTextual() ? Path.of(cfg.path("data_dir").asText()) : null;
        long seed = cfg.path("seed").asLong();
        int batch = cfg.path("batch").asInt(64);
        int count = calibrationImages != null ? calibrationImages : cfg.path("calibration_images").asInt(512);
        if (count < 2) {
            throw new UserError("--calibration-images must be >= 2, got " + count);
        }
        DatasetSplit data = Datasets.load(dataset, dataDir);
        Dataset train = data.train();
        ChannelStats stats = ChannelStats.of(train);
        int[] all = Subsets.random(train.size(), cfg.path("train_limit").asInt(0), seed);
        int[] calibration = SupernetTrainer.calibrationImages(all, count, seed);
        List<SubnetAccuracy> out = new ArrayList<>();
        try (Mbv3Supernet supernet = Mbv3Supernet.load(runDir);
             EvalBatches calib = new EvalBatches(train, calibration, Math.min(batch, calibration.length), stats);
             EvalBatches test = new EvalBatches(data.test(), Math.min(batch, data.test().size()), stats)) {
            if (supernet.inChannels() != train.channels() || supernet.classes() != train.numClasses()) {
                throw new UserError("supernet " + runDir + " was trained for " + supernet.inChannels() + " channels and "
                        + supernet.classes() + " classes, but " + dataset + " has " + train.channels() + " and "
                        + train.numClasses());
            }
            for (Mbv3Arch a : archs) {
                out.add(SubnetAccuracy.measure(supernet, a, calib, test));
            }
        }
        return out;
    }

    private static JsonNode config(Path runDir) {
        Path file = runDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError("supernet " + runDir + ": no config.json (not a nas supernet train run)");
        }
        JsonNode cfg;
        try {
            cfg = RunDirectory.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("supernet " + file + ": unreadable (" + e.getMessage() + ")");
        }
        if (cfg == null || !"supernet train".equals(cfg.path("command").asText())) {
            throw new UserError("supernet " + runDir + ": config.json is not that of a nas supernet train run");
        }
        return cfg;
    }
}
