package archway.search;

import archway.data.Augmentation;
import archway.data.BatchLoader;
import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.EvalBatches;
import archway.data.SearchSplit;
import archway.optim.CosineSchedule;
import archway.run.Checkpoint;
import archway.run.Progress;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.run.SizeLimits;
import archway.runtime.Backends;
import archway.train.Evaluator;
import archway.train.PeakMemory;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one search driver: data and loaders, the epoch loop, validation after each epoch, the
 * lowest-validation-loss genotype, checkpoints, metrics.jsonl, events and result.json, for every
 * {@link Algorithm} (the family is a {@link SearchAlgorithm} strategy; the base a {@link Base} rule).
 *
 * <pre>{@code
 * SearchConfig cfg = SearchConfig.defaults(SpaceKind.NB201, Algorithm.A2M, Base.DARTS, "fashion-mnist-mini", dir)
 *         .withSize(4, 8, 1, 32);
 * SearchResult r = new Search(cfg, System.err)
 *         .listener(e -> { if (e instanceof SearchEvent.EpochFinished f) System.out.println(f.valLoss()); })
 *         .run(RunStart.NEW);
 * }</pre>
 */
public final class Search {
    private final SearchConfig cfg;
    private final PrintStream log;
    private SearchListener listener = SearchListener.NONE;

    /** A search with configuration {@code cfg}; progress lines go to {@code log}. */
    public Search(SearchConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** Receives the run's typed events (in addition to the progress lines). */
    public Search listener(SearchListener l) {
        this.listener = l == null ? SearchListener.NONE : l;
        return this;
    }

    /** Runs the search (or continues it from the checkpoint in the run directory when {@code resume}). */
    public SearchResult run(boolean resume) {
        return run(RunStart.of(resume));
    }

    /**
     * Runs the search, starting its run directory as {@code start} says (a new run refuses a directory that
     * holds one; resuming continues from its checkpoint written by the same configuration). The directory is
     * locked while the search runs.
     */
    public SearchResult run(RunStart start) {
        SearchAlgorithm.check(cfg);
        Backends.standard().threads(cfg.threads());
        DatasetSplit data = Datasets.load(cfg.dataset(), cfg.dataDir());
        Dataset train = limited(data.train());
        SearchSplit split = SearchSplit.of(train, cfg.seed());
        ChannelStats stats = ChannelStats.of(train);
        SizeLimits.requireBatchFits(cfg.batch(), Math.min(split.weightTrain().length, split.archVal().length),
                "each half of the search split of " + train.name(), cfg.trainLimit() > 0);
        try (RunDirectory dir = RunDirectory.open(cfg.out(), start, log);
             SearchAlgorithm algo = SearchAlgorithm.create(cfg, train, dir, log);
             EvalBatches validation = new EvalBatches(train, split.archVal(), cfg.batch(), stats)) {
            Map<String, Object> config = cfg.describe();
            algo.describe(config);
            String configJson = RunDirectory.toJson(config);
            SearchProgress progress = SearchProgress.start();
            if (start.resumes()) {
                Checkpoint ck = dir.resumeCheckpoint(configJson);
                progress = SearchProgress.read(ck);
                algo.restore(ck);
                dir.truncateMetrics(progress.epoch());
                log.printf("resuming %s at epoch %d/%d%n", dir.path(), progress.epoch() + 1, cfg.epochs());
            } else {
                dir.truncateMetrics(0);
            }
            dir.writeJson("config.json", config);
            CosineSchedule schedule = new CosineSchedule(cfg.weights().lr(), cfg.weights().lrMin(), cfg.epochs());
            Augmentation aug = Augmentation.defaultFor(train);
            // Fresh loaders per epoch: each epoch's batches are a pure function of (seed, epoch), so a resumed
            // run (which starts its loaders at step 0 of its epoch) sees the same batches.
            for (int epoch = progress.epoch(); epoch < cfg.epochs(); epoch++) {
                try (BatchLoader trainLoader = BatchLoader.resume(train, split.weightTrain(), cfg.batch(), aug, stats,
                        cfg.seed(), epoch, 0);
                     BatchLoader valLoader = BatchLoader.resume(train, split.archVal(), cfg.batch(), aug, stats,
                             cfg.seed() ^ 0x5DEECE66DL, epoch, 0)) {
                    progress = epoch(algo, epoch, (float) schedule.at(epoch), trainLoader, valLoader, validation, progress,
                            dir, configJson);
                }
            }
            return finish(algo, train, dir, progress);
        }
    }

    private SearchProgress epoch(SearchAlgorithm algo, int epoch, float lr, BatchLoader trainLoader,
                                 BatchLoader valLoader, EvalBatches validation, SearchProgress before, RunDirectory dir,
                                 String configJson) {
        long t0 = System.nanoTime();
        algo.beginEpoch(epoch);
        int steps = algo.steps(trainLoader, valLoader);
        Progress bar = new Progress(log, String.format("search %d/%d", epoch + 1, cfg.epochs()), steps);
        SearchAlgorithm.EpochSteps s = algo.epoch(epoch, lr, steps, trainLoader, valLoader, bar);
        double stepSeconds = (System.nanoTime() - t0) / 1e9;
        // The selection measurement: the whole validation split, evaluation mode, alpha fixed.
        algo.showArchitecture();
        Evaluator.Result val = Evaluator.evaluate(algo.network(), validation);
        double secs = (System.nanoTime() - t0) / 1e9;
        String genotype = algo.genotype();
        SearchProgress after = before.after(secs, val.loss(), genotype);
        double trainLoss = s.trainLossSum() / Math.max(1, s.steps());
        double trainAccuracy = 100.0 * s.trainHits() / Math.max(1, s.trainImages());
        double imagesPerSecond = s.imagesRead() / stepSeconds;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch + 1);
        m.put("lr", lr);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("val_loss", val.loss());
        m.put("val_accuracy", val.accuracy());
        m.put("genotype", genotype);
        algo.describeEpoch(m);
        m.putAll(s.fields());
        m.put("images_per_s", imagesPerSecond);
        m.put("validation_seconds", secs - stepSeconds);
        m.put("seconds", secs);
        dir.appendMetrics(m);
        log.printf("epoch %d/%d  train %.4f (%.1f%%)  val %.4f (%.1f%%)  %.0f img/s%s  %s%n", epoch + 1, cfg.epochs(),
                trainLoss, trainAccuracy, val.loss(), val.accuracy(), imagesPerSecond, algo.logSuffix(), genotype);
        listener.on(new SearchEvent.EpochFinished(epoch + 1, cfg.epochs(), lr, trainLoss, trainAccuracy, val.loss(),
                val.accuracy(), genotype, imagesPerSecond, secs, m));
        if (!genotype.equals(before.genotype())) {
            listener.on(new SearchEvent.GenotypeChanged(epoch + 1, before.genotype(), genotype));
        }
        Checkpoint ck = new Checkpoint().putString("config", configJson);
        after.write(ck);
        algo.save(ck);
        dir.saveCheckpoint(ck);
        listener.on(new SearchEvent.CheckpointWritten(epoch + 1, dir.checkpoint()));
        return after;
    }

    private SearchResult finish(SearchAlgorithm algo, Dataset train, RunDirectory dir, SearchProgress p) {
        String genotype = algo.genotype();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("algo", cfg.algo().label());
        r.put("space", cfg.space().label());
        r.put("dataset", cfg.dataset());
        r.put("genotype", genotype);
        r.put("best_epoch", p.bestEpoch());
        r.put("best_val_loss", p.bestValLoss());
        r.put("genotype_best_val_loss", p.bestGenotype());
        algo.finish(r, train, dir, log);
        r.put("search_seconds", p.seconds());
        r.put("supernet_params", algo.network().params().weightCount());
        r.put("peak_rss_mb", PeakMemory.peakRssMb());
        dir.writeJson("result.json", r);
        SearchResult result = new SearchResult(cfg.algo(), cfg.space(), (String) r.get("genotype"), p.bestEpoch(),
                p.bestValLoss(), p.bestGenotype(), p.seconds(), r);
        listener.on(new SearchEvent.Finished(result));
        return result;
    }

    /** The training set, or a seeded random subset of {@link SearchConfig#trainLimit()} images of it. */
    private Dataset limited(Dataset train) {
        int limit = cfg.trainLimit();
        if (limit == 0 || limit >= train.size()) {
            return train;
        }
        int[] sub = archway.data.Subsets.random(train.size(), limit, cfg.seed());
        return train.subset(sub, train.name() + "[" + limit + "]");
    }
}
