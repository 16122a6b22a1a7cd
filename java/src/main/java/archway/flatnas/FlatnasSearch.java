package archway.flatnas;

import archway.UserError;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A whole FlatNAS search ({@code nas search --algo flatnas}): checks the configuration against the dataset, builds
 * the {@link FlatnasProblem}, and runs {@link FlatnasRun} in its run directory (locked, started as {@code start}
 * says) with the corruption benchmark for the front. Trials run on the given runner: a local pool of
 * {@link FlatnasTrial}s or a cluster whose workers run them.
 */
public final class FlatnasSearch {
    private FlatnasSearch() {
    }

    /** The problem a configuration searches, for a dataset of this shape and class count. */
    public static FlatnasProblem problem(FlatnasSearchConfig cfg, int channels, int resolution, int classes) {
        return new FlatnasProblem(new Mbv3GeneSpace(List.of()), channels, resolution, classes, cfg.paramsMax(),
                cfg.alpha(), new TrialBudget(cfg.trialEpochs(), cfg.trainLimit()), cfg.seed(),
                cfg.candidateTrial().toMap());
    }

    /**
     * Checks what the trials would only find out later (one line each, as a {@link UserError}), then runs or
     * resumes the search in {@code dir}; returns result.json's content.
     */
    public static Map<String, Object> run(FlatnasSearchConfig cfg, RunStart start, Path dir, TrialRunner runner,
                                          PrintStream log) {
        FlatnasTrialSettings t = cfg.trial();
        DatasetSplit data = Datasets.load(t.dataset(), t.dataDir() == null ? null : Path.of(t.dataDir()));
        Dataset train = data.train();
        if (train.height() != train.width()) {
            throw new UserError("the mbv3 space takes square images; " + train.name() + " has " + train.shape());
        }
        int images = cfg.trainLimit() == 0 ? train.size() : Math.min(cfg.trainLimit(), train.size());
        if (t.batch() > images) {
            throw new UserError("--batch " + t.batch() + " is larger than the " + images + " training images of a trial"
                    + (cfg.trainLimit() > 0 ? " (--train-limit)" : ""));
        }
        long smallest = Mbv3Count.of(Mbv3Arch.smallest(), train.channels(), train.height(), train.numClasses()).params();
        if (cfg.paramsMax() < smallest) {
            throw new UserError("--params-max " + cfg.paramsMax() + " is below the smallest mbv3 subnet on "
                    + train.name() + " (" + smallest + " parameters): no architecture could be feasible");
        }
        FlatnasProblem problem = problem(cfg, train.channels(), train.height(), train.numClasses());
        try (RunDirectory rd = RunDirectory.open(dir, start, log)) {
            return new FlatnasRun(problem, cfg.settings(), cfg.toMap(), rd, log)
                    .run(runner, start, new OodFrontMetrics(problem, log));
        }
    }
}
