package archway.train;

import archway.data.Batch;
import archway.data.BatchLoader;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.EvalBatches;
import archway.graph.Mode;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.NetworkBuilder;
import archway.nn.Pass;
import archway.optim.CosineSchedule;
import archway.optim.GradientClip;
import archway.optim.Sgd;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.run.SizeLimits;
import archway.runtime.Backends;
import archway.spaces.SpaceNetworks;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Trains one discrete network from scratch and writes a run directory. Checkpoints after every epoch
 * (weights, BN statistics, momentum, epoch); {@code run(true)} continues bit-identically because batches
 * are a pure function of (seed, epoch, step) and everything else is in the checkpoint.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final PrintStream log;
    private TrainListener listener = TrainListener.NONE;

    /** @param log where progress lines go (e.g. {@code System.err}) */
    public Trainer(TrainConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** Sends this run's {@link TrainEvent}s to {@code l} (null: none); returns this trainer. */
    public Trainer listener(TrainListener l) {
        this.listener = l == null ? TrainListener.NONE : l;
        return this;
    }

    /**
     * Trains from epoch 0, or from the checkpoint in the output directory when {@code resume}, evaluating on
     * the test split after every epoch (one metrics.jsonl line each), and returns what it writes to
     * result.json: {@code space, arch, dataset, test_accuracy} (percent), {@code test_loss, params} (a Long:
     * weights, biases and BatchNorm affine parameters), {@code macs} (Long, per image), {@code epochs, seconds,
     * peak_rss_mb}.
     *
     * @throws TrainingDivergedException when the loss stops being finite (the last good checkpoint is kept)
     */
    public Map<String, Object> run(boolean resume) {
        return run(RunStart.of(resume));
    }

    /** Trains, starting the output directory as {@code start} says (new, overwrite, resume). */
    public Map<String, Object> run(RunStart start) {
        Backends.standard().threads(cfg.threads());
        DatasetSplit data = Datasets.load(cfg.dataset(), cfg.dataDir());
        Dataset train = data.train();
        NetworkBuilder builder = SpaceNetworks.discrete(cfg.space(), cfg.arch(), cfg.channels(), cfg.cells(),
                train.numClasses());
        int images = trainingIndices(train.size()).length;
        SizeLimits.requireBatchFits(cfg.batch(), images, "the training set of " + train.name(), cfg.trainLimit() > 0);
        ChannelStats stats = ChannelStats.of(train);
        try (RunDirectory dir = RunDirectory.open(cfg.out(), start, log);
             Network net = new Network(builder, train.channels(), train.height(), train.width(), cfg.seed());
             EvalBatches test = new EvalBatches(data.test(), Math.min(cfg.batch(), data.test().size()), stats)) {
            var params = net.params();
            long weightFloats = params.flatLength(ValueKind.WEIGHT);
            try (Sgd sgd = new Sgd(params.backend(), params.weights(), params.weightGrads(), weightFloats, (float) cfg.momentum(),
                    (float) cfg.weightDecay(), cfg.nesterov())) {
                int startEpoch = 0;
                double priorSeconds = 0;
                if (start.resumes()) {
                    Checkpoint ck = dir.resumeCheckpoint(configJson());
                    ck.getFloats("weights", params.weights(), weightFloats);
                    ck.getFloats("state", params.state(), params.flatLength(ValueKind.STATE));
                    ck.getFloats("sgd.momentum", sgd.state(), weightFloats);
                    double[] progress = ck.getDoubles("progress", 2);
                    startEpoch = (int) progress[0];
                    priorSeconds = progress[1];
                    dir.truncateMetrics(startEpoch);
                    log.printf("resuming %s at epoch %d/%d%n", dir.path(), startEpoch + 1, cfg.epochs());
                } else {
                    dir.truncateMetrics(0);
                }
                dir.writeJson("config.json", configMap());
                return loop(net, sgd, data, stats, test, dir, startEpoch, priorSeconds);
            }
        }
    }

    private Map<String, Object> loop(Network net, Sgd sgd, DatasetSplit data, ChannelStats stats, EvalBatches test,
                                     RunDirectory dir, int startEpoch, double priorSeconds) {
        Dataset train = data.train();
        int[] all = trainingIndices(train.size());
        CosineSchedule schedule = new CosineSchedule(cfg.lr(), cfg.lrMin(), cfg.epochs());
        Pass pass = net.pass(cfg.batch(), Mode.TRAIN, ValueKind.WEIGHT);
        var params = net.params();
        long weightFloats = params.flatLength(ValueKind.WEIGHT);
        double seconds = priorSeconds;
        Evaluator.Result last = null;
        try (BatchLoader loader = BatchLoader.resume(train, all, cfg.batch(), cfg.augmentation().of(train), stats,
                cfg.seed(), startEpoch, 0)) {
            int steps = loader.stepsPerEpoch();
            for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
                long t0 = System.nanoTime();
                float epochLr = (float) schedule.at(cfg.lrSteps().progress(epoch, 0, steps));
                double lossSum = 0;
                long correct = 0;
                Progress bar = new Progress(log, String.format("epoch %d/%d", epoch + 1, cfg.epochs()), steps);
                for (int step = 0; step < steps; step++) {
                    try (Batch b = loader.next()) {
                        pass.load(b.images(), b.labels());
                    }
                    pass.forward();
                    float loss = pass.loss();
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException("training loss became " + loss + " at epoch " + (epoch + 1)
                                + ", step " + (step + 1) + "; stopped. The last good checkpoint is "
                                + (java.nio.file.Files.exists(dir.checkpoint()) ? dir.checkpoint() : "(none yet)")
                                + " (try a lower --lr)");
                    }
                    pass.backward();
                    if (cfg.gradClip() > 0) {
                        GradientClip.clip(params.flat(), params.weightGrads(), weightFloats, cfg.gradClip());
                    }
                    sgd.step((float) schedule.at(cfg.lrSteps().progress(epoch, step, steps)));
                    lossSum += loss;
                    correct += pass.correct();
                    if ((step + 1) % 10 == 0 || step + 1 == steps) {
                        bar.update(step + 1, String.format("loss %.4f", lossSum / (step + 1)));
                    }
                }
                double trainSecs = (System.nanoTime() - t0) / 1e9;
                last = Evaluator.evaluate(net, test);
                seconds += (System.nanoTime() - t0) / 1e9;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", epoch + 1);
                m.put("lr", epochLr);
                m.put("train_loss", lossSum / steps);
                m.put("train_accuracy", 100.0 * correct / ((long) steps * cfg.batch()));
                m.put("test_loss", last.loss());
                m.put("test_accuracy", last.accuracy());
                m.put("images_per_s", steps * cfg.batch() / trainSecs);
                m.put("seconds", (System.nanoTime() - t0) / 1e9);
                dir.appendMetrics(m);
                log.printf("epoch %d/%d  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.0f img/s%n", epoch + 1,
                        cfg.epochs(), lossSum / steps, 100.0 * correct / ((long) steps * cfg.batch()), last.loss(),
                        last.accuracy(), steps * cfg.batch() / trainSecs);
                listener.on(new TrainEvent.EpochFinished(epoch + 1, cfg.epochs(), epochLr, lossSum / steps,
                        100.0 * correct / ((long) steps * cfg.batch()), last.loss(), last.accuracy(),
                        steps * cfg.batch() / trainSecs, (double) m.get("seconds"), java.util.Collections.unmodifiableMap(m)));
                writeCheckpoint(dir, net, sgd, epoch + 1, seconds);
                listener.on(new TrainEvent.CheckpointWritten(epoch + 1, dir.checkpoint()));
            }
        }
        if (last == null) {
            last = Evaluator.evaluate(net, test);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("space", cfg.space());
        result.put("arch", cfg.arch());
        result.put("dataset", cfg.dataset());
        result.put("test_accuracy", last.accuracy());
        result.put("test_loss", last.loss());
        result.put("params", net.params().weightCount());
        result.put("macs", net.macsPerSample());
        result.put("epochs", cfg.epochs());
        result.put("seconds", seconds);
        result.put("peak_rss_mb", PeakMemory.peakRssMb());
        dir.writeJson("result.json", result);
        listener.on(new TrainEvent.Finished(last.accuracy(), last.loss(), net.params().weightCount(), net.macsPerSample(),
                seconds, java.util.Collections.unmodifiableMap(result)));
        return result;
    }

    /** All training images, or a seeded random subset of --train-limit of them (sorted). */
    private int[] trainingIndices(int size) {
        return archway.data.Subsets.random(size, cfg.trainLimit(), cfg.seed());
    }

    private void writeCheckpoint(RunDirectory dir, Network net, Sgd sgd, int epochsDone, double seconds) {
        var p = net.params();
        dir.saveCheckpoint(new Checkpoint().putString("config", configJson())
                    .putFloats("weights", p.weights(), p.flatLength(ValueKind.WEIGHT))
                    .putFloats("state", p.state(), p.flatLength(ValueKind.STATE))
                    .putFloats("sgd.momentum", sgd.state(), sgd.size())
                    .putDoubles("progress", new double[] {epochsDone, seconds}));
    }

    private Map<String, Object> configMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "train");
        m.put("space", cfg.space());
        m.put("arch", cfg.arch());
        m.put("dataset", cfg.dataset());
        m.put("data_dir", cfg.dataDir() == null ? null : cfg.dataDir().toString());
        m.put("epochs", cfg.epochs());
        m.put("channels", cfg.channels());
        m.put("cells", cfg.cells());
        m.put("batch", cfg.batch());
        m.put("seed", cfg.seed());
        m.put("threads", cfg.threads());
        m.put("device", archway.runtime.Backends.standard().name());
        m.put("lr", cfg.lr());
        m.put("lr_min", cfg.lrMin());
        m.put("momentum", cfg.momentum());
        m.put("weight_decay", cfg.weightDecay());
        m.put("nesterov", cfg.nesterov());
        m.put("grad_clip", cfg.gradClip());
        m.put("train_limit", cfg.trainLimit());
        m.put("augment", cfg.augmentation().cliName());
        m.put("lr_steps", cfg.lrSteps().cliName());
        return m;
    }

    private String configJson() {
        return RunDirectory.toJson(configMap());
    }
}
