package archway.cli;

import static archway.cli.EvolutionarySearchOptions.or;

import archway.UserError;
import archway.flatnas.FlatnasSearch;
import archway.flatnas.FlatnasSearchConfig;
import archway.flatnas.FlatnasTrial;
import archway.flatnas.FlatnasTrialSettings;
import archway.flatnas.FrontTable;
import archway.flatnas.SupernetRef;
import archway.supernet.Mbv3Supernet;
import archway.run.RunStart;
import archway.runtime.Backend;
import archway.trial.DeviceBoundEvaluator;
import archway.trial.TrialRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code nas search --algo flatnas --space mbv3 ...}: FlatNAS (docs/FLATNAS.md), trials here or on a cluster. */
final class FlatnasAlgo implements EvolutionaryAlgo {
    static final long DEFAULT_PARAMS_MAX = 5_000_000;
    static final int DEFAULT_ITERATIONS = 10;
    static final int DEFAULT_TRIAL_EPOCHS = 2;

    @Override
    public String name() {
        return "flatnas";
    }

    @Override
    public int search(String space, RunOptions run, EvolutionarySearchOptions evo, DeviceOptions device) {
        evo.refuseAllBut(name(), List.of("--params-max", "--alpha", "--iterations", "--initial", "--candidates",
                "--patience", "--trial-epochs", "--sam-rho", "--flatness-sigma", "--flatness-draws", "--test-limit",
                "--ood-members", "--ood-limit", "--slots", "--supernet", "--cluster"));
        if (!"mbv3".equals(space)) {
            throw new UserError("--algo flatnas searches the mbv3 space: give --space mbv3 (not " + space + ")");
        }
        RunStart start = run.start();
        if (evo.slots != null && evo.cluster.cluster != null) {
            throw new UserError("--slots is for trials on this machine; with --cluster each worker has its own --slots");
        }
        int slots = or(evo.slots, 1);
        if (slots < 1) {
            throw new UserError("--slots must be >= 1, got " + slots);
        }
        Backend backend = TrialDevice.select(device, evo.cluster.cluster != null, slots);
        int threads = run.threads != null ? run.threadCount()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / slots);
        FlatnasSearchConfig cfg;
        try {
            FlatnasTrialSettings trial = new FlatnasTrialSettings(run.dataset,
                    run.dataDir == null ? null : run.dataDir.toString(), run.batch, threads, FlatnasTrialSettings.LR,
                    FlatnasTrialSettings.MOMENTUM, FlatnasTrialSettings.WEIGHT_DECAY,
                    or(evo.samRho, FlatnasTrialSettings.SAM_RHO), or(evo.flatnessSigma, FlatnasTrialSettings.SIGMA),
                    or(evo.flatnessDraws, FlatnasTrialSettings.DRAWS), or(evo.testLimit, 0), false, or(evo.oodLimit, 0),
                    supernetRef(evo.supernet, run));
            cfg = new FlatnasSearchConfig(trial, or(evo.paramsMax, DEFAULT_PARAMS_MAX), or(evo.alpha, 0.5),
                    or(evo.iterations, DEFAULT_ITERATIONS), or(evo.initial, archway.evo.SearchSettings.DEFAULT_INITIAL),
                    or(evo.candidates, archway.evo.SearchSettings.DEFAULT_CANDIDATES),
                    or(evo.patience, archway.evo.SearchSettings.DEFAULT_PATIENCE), or(evo.trialEpochs, DEFAULT_TRIAL_EPOCHS),
                    run.trainLimit, FlatnasSearchConfig.OodMembers.parse(or(evo.oodMembers, "front")), run.seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = run.directory("flatnas", space);
        Map<String, Object> result;
        try (TrialRunner runner = evo.cluster.runner(new DeviceBoundEvaluator(new FlatnasTrial(), backend), slots,
                System.err)) {
            result = FlatnasSearch.run(cfg, start, dir, runner, System.err);
        } catch (RuntimeException | Error e) {
            run.discardUnused();
            throw e;
        }
        System.out.printf("Pareto front (params <= %,d; error and R on the test set, mCE under 15 corruptions x 5 "
                + "severities):%n", cfg.paramsMax());
        System.out.print(FrontTable.text(result));
        System.out.println("run directory: " + dir);
        System.out.println("report: " + archway.report.RunReport.write(dir));
        return 0;
    }

    /**
     * The reference to the supernet in {@code dir} (its identity read once here), or null without --supernet;
     * a supernet trained for other image channels or classes than the dataset's is one error line.
     */
    private static SupernetRef supernetRef(Path dir, RunOptions run) {
        if (dir == null) {
            return null;
        }
        try (Mbv3Supernet s = Mbv3Supernet.load(dir)) {
            var train = archway.data.Datasets.load(run.dataset, run.dataDir).train();
            if (s.inChannels() != train.channels() || s.classes() != train.numClasses()) {
                throw new UserError("--supernet " + dir + " was trained for " + s.inChannels() + "-channel images and "
                        + s.classes() + " classes; " + run.dataset + " has " + train.channels() + " and "
                        + train.numClasses());
            }
            return new SupernetRef(dir.toAbsolutePath().normalize().toString(), s.identity());
        }
    }
}
