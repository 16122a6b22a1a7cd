package archway.supernet;

import archway.UserError;
import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.EvalBatches;
import archway.data.Subsets;
import archway.graph.ValueKind;
import archway.optim.CosineSchedule;
import archway.optim.GradientClip;
import archway.optim.Sgd;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.run.SizeLimits;
import archway.runtime.Backends;
import archway.spaces.mbv3.Mbv3Arch;
import archway.train.PeakMemory;
import archway.train.TrainingDivergedException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the mbv3 once-for-all supernet with the sandwich rule (docs/SUPERNET.md) and writes a run directory:
 * every step, the largest, the smallest and two random subnets each run forward and backward on the same batch,
 * their gradients are added into the shared gradient buffer, and one SGD step (momentum, weight decay, cosine
 * per step) moves the shared weights. After every epoch the largest and smallest subnets are evaluated (batch
 * norm recalibrated first) and a checkpoint is written; {@code run(RESUME)} continues bit-identically, as batches
 * and subnets are pure functions of (seed, epoch, step) and weights and momentum are in the checkpoint.
 */
public final class SupernetTrainer {
    private final SupernetConfig cfg;
    private final PrintStream log;

    public SupernetTrainer(SupernetConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /**
     * Trains, starting the output directory as {@code start} says, and returns what it writes to result.json:
     * {@code space, dataset, epochs, params} (all shared weights), {@code largest} and {@code smallest} (each arch,
     * test_accuracy in percent, test_loss, params, macs), {@code identity} (SHA-256 of the weights), {@code seconds,
     * peak_rss_mb}.
     */
    public Map<String, Object> run(RunStart start) {
        return run(start, Datasets.load(cfg.dataset(), cfg.dataDir()));
    }

    /** Trains on {@code data} (already loaded; the configuration's dataset name is only recorded). */
    public Map<String, Object> run(RunStart start, DatasetSplit data) {
        Backends.standard().threads(cfg.threads());
        Dataset train = data.train();
        if (train.height() != train.width()) {
            throw new UserError("the mbv3 supernet needs square images; " + train.name() + " has " + train.height() + "x"
                    + train.width());
        }
        int[] all = Subsets.random(train.size(), cfg.trainLimit(), cfg.seed());
        SizeLimits.requireBatchFits(cfg.batch(), all.length, "the training set of " + train.name(), cfg.trainLimit() > 0);
        ChannelStats stats = ChannelStats.of(train);
        int[] calibration = calibrationImages(all, cfg.calibrationImages(), cfg.seed());
        try (RunDirectory dir = RunDirectory.open(cfg.out(), start, log);
             Mbv3Supernet supernet = Mbv3Supernet.create(train.channels(), train.height(), train.numClasses(), cfg.seed());
             EvalBatches calib = new EvalBatches(train, calibration, Math.min(cfg.batch(), calibration.length), stats);
             EvalBatches test = new EvalBatches(data.test(), Math.min(cfg.batch(), data.test().size()), stats);
             Subnets subnets = new Subnets(supernet)) {
            var params = supernet.params();
            long weightFloats = params.flatLength(ValueKind.WEIGHT);
            try (Sgd sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), weightFloats,
                    (float) cfg.momentum(), (float) cfg.weightDecay(), false)) {
                int startEpoch = 0;
                double priorSeconds = 0;
                String configJson = RunDirectory.toJson(configMap(train));
                if (start.resumes()) {
                    Checkpoint ck = dir.resumeCheckpoint(configJson);
                    supernet.loadFrom(ck);
                    ck.getFloats("sgd.momentum", sgd.state(), weightFloats);
                    double[] progress = ck.getDoubles("progress", 2);
                    startEpoch = (int) progress[0];
                    priorSeconds = progress[1];
                    dir.truncateMetrics(startEpoch);
                    log.printf("resuming %s at epoch %d/%d%n", dir.path(), startEpoch + 1, cfg.epochs());
                } else {
                    dir.truncateMetrics(0);
                }
                dir.writeJson("config.json", configMap(train));
                return loop(supernet, subnets, sgd, train, all, stats, calib, test, dir, configJson, startEpoch,
                        priorSeconds);
            }
        }
    }

    /** {@code count} of the training images {@code all} for batch-norm recalibration, seeded (sorted). */
    static int[] calibrationImages(int[] all, int count, long seed) {
        int[] pick = Subsets.random(all.length, Math.min(count, all.length), seed + 1);
        return Arrays.stream(pick).map(i -> all[i]).toArray();
    }

    private Map<String, Object> loop(Mbv3Supernet supernet, Subnets subnets, Sgd sgd, Dataset train, int[] all,
                                     ChannelStats stats, EvalBatches calib, EvalBatches test, RunDirectory dir,
                                     String configJson, int startEpoch, double priorSeconds) {
        CosineSchedule schedule = new CosineSchedule(cfg.lr(), cfg.lrMin(), cfg.epochs());
        var params = supernet.params();
        long weightFloats = params.flatLength(ValueKind.WEIGHT);
        float[] grads = new float[Math.toIntExact(weightFloats)];
        int perStep = 2 + cfg.rule().random();
        double seconds = priorSeconds;
        SubnetAccuracy largest = null, smallest = null;
        try (BatchLoader loader = BatchLoader.resume(train, all, cfg.batch(), cfg.augmentation().of(train), stats,
                cfg.seed(), startEpoch, 0)) {
            int steps = loader.stepsPerEpoch();
            for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
                long t0 = System.nanoTime();
                double[] lossSums = new double[perStep];
                Progress bar = new Progress(log, String.format("epoch %d/%d", epoch + 1, cfg.epochs()), steps);
                for (int step = 0; step < steps; step++) {
                    float[] weights = supernet.hostWeights();
                    Arrays.fill(grads, 0f);
                    List<Mbv3Arch> archs = cfg.rule().subnets(cfg.seed(), epoch, step);
                    try (Batch b = loader.next()) {
                        for (int i = 0; i < archs.size(); i++) {
                            lossSums[i] += subnetStep(subnets, archs.get(i), weights, b, grads, dir, epoch, step);
                        }
                    }
                    supernet.setGradients(grads);
                    if (cfg.gradClip() > 0) {
                        GradientClip.clip(params.flat(), params.weightGrads(), weightFloats, cfg.gradClip());
                    }
                    sgd.step((float) schedule.at(epoch + step / (double) steps));
                    if ((step + 1) % 5 == 0 || step + 1 == steps) {
                        bar.update(step + 1, String.format("loss largest %.4f smallest %.4f", lossSums[0] / (step + 1),
                                lossSums[1] / (step + 1)));
                    }
                }
                double trainSecs = (System.nanoTime() - t0) / 1e9;
                float[] weights = supernet.hostWeights();
                largest = SubnetAccuracy.measure(subnets.get(Mbv3Arch.largest()), weights, calib, test);
                smallest = SubnetAccuracy.measure(subnets.get(Mbv3Arch.smallest()), weights, calib, test);
                seconds += (System.nanoTime() - t0) / 1e9;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", epoch + 1);
                m.put("lr", schedule.at(epoch));
                m.put("train_loss_largest", lossSums[0] / steps);
                m.put("train_loss_smallest", lossSums[1] / steps);
                if (perStep > 2) {
                    m.put("train_loss_random", Arrays.stream(lossSums, 2, perStep).sum() / ((double) steps * (perStep - 2)));
                }
                m.put("largest_test_accuracy", largest.accuracy());
                m.put("smallest_test_accuracy", smallest.accuracy());
                m.put("images_per_s", steps * cfg.batch() / trainSecs);
                m.put("seconds", (System.nanoTime() - t0) / 1e9);
                dir.appendMetrics(m);
                log.printf("epoch %d/%d  train loss largest %.4f smallest %.4f  test acc largest %.2f%% smallest %.2f%%"
                                + "  %.1f img/s (x%d subnets)%n", epoch + 1, cfg.epochs(), lossSums[0] / steps,
                        lossSums[1] / steps, largest.accuracy(), smallest.accuracy(), steps * cfg.batch() / trainSecs,
                        perStep);
                Checkpoint ck = new Checkpoint().putString("config", configJson);
                supernet.saveTo(ck);
                dir.saveCheckpoint(ck.putFloats("sgd.momentum", sgd.state(), sgd.size())
                        .putDoubles("progress", new double[] {epoch + 1, seconds}));
            }
        }
        if (largest == null) { // resumed after the last epoch: nothing trained in this process
            float[] weights = supernet.hostWeights();
            largest = SubnetAccuracy.measure(subnets.get(Mbv3Arch.largest()), weights, calib, test);
            smallest = SubnetAccuracy.measure(subnets.get(Mbv3Arch.smallest()), weights, calib, test);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("space", "mbv3");
        result.put("dataset", cfg.dataset());
        result.put("epochs", cfg.epochs());
        result.put("params", supernet.weightCount());
        result.put("largest", largest.toMap());
        result.put("smallest", smallest.toMap());
        result.put("identity", supernet.identity());
        result.put("seconds", seconds);
        result.put("peak_rss_mb", PeakMemory.peakRssMb());
        dir.writeJson("result.json", result);
        return result;
    }

    /** One subnet's forward and backward on the batch; its gradient is added into {@code grads}. Returns its loss. */
    private float subnetStep(Subnets subnets, Mbv3Arch arch, float[] weights, Batch b, float[] grads, RunDirectory dir,
                             int epoch, int step) {
        Subnet s = subnets.get(arch);
        try {
            float loss = s.accumulateStep(weights, b.images(), b.labels(), cfg.batch(), grads);
            if (!Float.isFinite(loss)) {
                throw new TrainingDivergedException("training loss of subnet " + arch + " became " + loss + " at epoch "
                        + (epoch + 1) + ", step " + (step + 1) + "; stopped. The last good checkpoint is "
                        + (Files.exists(dir.checkpoint()) ? dir.checkpoint() : "(none yet)") + " (try a lower --lr)");
            }
            return loss;
        } finally {
            subnets.release(s);
        }
    }

    private Map<String, Object> configMap(Dataset train) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "supernet train");
        m.put("space", "mbv3");
        m.put("dataset", cfg.dataset());
        m.put("data_dir", cfg.dataDir() == null ? null : cfg.dataDir().toString());
        m.put("in_channels", train.channels());
        m.put("resolution", train.height());
        m.put("classes", train.numClasses());
        m.put("epochs", cfg.epochs());
        m.put("batch", cfg.batch());
        m.put("seed", cfg.seed());
        m.put("threads", cfg.threads());
        m.put("lr", cfg.lr());
        m.put("lr_min", cfg.lrMin());
        m.put("momentum", cfg.momentum());
        m.put("weight_decay", cfg.weightDecay());
        m.put("grad_clip", cfg.gradClip());
        m.put("train_limit", cfg.trainLimit());
        m.put("calibration_images", cfg.calibrationImages());
        m.put("random_subnets", cfg.rule().random());
        m.put("augment", cfg.augmentation().cliName());
        return m;
    }

    /**
     * Subnet networks: the largest and the smallest, needed every step, are kept; the random ones are built for
     * their step and closed after it.
     */
    private static final class Subnets implements AutoCloseable {
        private final Mbv3Supernet supernet;
        private final Map<Mbv3Arch, Subnet> kept = new HashMap<>();

        Subnets(Mbv3Supernet supernet) {
            this.supernet = supernet;
        }

        Subnet get(Mbv3Arch arch) {
            boolean keep = arch.equals(Mbv3Arch.largest()) || arch.equals(Mbv3Arch.smallest());
            Subnet s = kept.get(arch);
            if (s == null) {
                s = supernet.emptySubnet(arch);
                if (keep) {
                    kept.put(arch, s);
                }
            }
            return s;
        }

        void release(Subnet s) {
            if (kept.get(s.arch()) != s) {
                s.close();
            }
        }

        @Override
        public void close() {
            kept.values().forEach(Subnet::close);
        }
    }
}
