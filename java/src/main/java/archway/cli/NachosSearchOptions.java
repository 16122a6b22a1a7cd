package archway.cli;

import archway.UserError;
import archway.evo.Nsga2;
import archway.evo.SearchSettings;
import archway.nachos.NachosGeneSpace;
import archway.nachos.NachosProblem;
import archway.nachos.NachosRun;
import archway.nachos.NachosTrainConfig;
import archway.nachos.NachosTrial;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nas search --algo nachos}: the flags of a NACHOS search (docs/NACHOS.md) and running it. Kept apart from
 * the differentiable searches' flags; the trial recipe (SGD, lr 0.1, momentum 0.9, wd 5e-5, cosine) is FlatNAS's.
 */
final class NachosSearchOptions {
    static final String ALGO = "nachos";

    @Option(names = "--macs-max", description = "nachos: MACs budget per image (expected MACs of the early-exit network).")
    Double macsMax;
    @Option(names = "--top1-min", defaultValue = "0", description = "nachos: lowest validation top-1 (%%) the threshold "
            + "repair step may go down to (default ${DEFAULT-VALUE}).")
    double top1Min;
    @Option(names = "--iterations", defaultValue = "10", description = "nachos: search iterations after the initial "
            + "design (default ${DEFAULT-VALUE}).")
    int iterations;
    @Option(names = "--initial", defaultValue = "" + SearchSettings.DEFAULT_INITIAL, description = "nachos: initial "
            + "design size (default ${DEFAULT-VALUE}).")
    int initial;
    @Option(names = "--candidates", defaultValue = "" + SearchSettings.DEFAULT_CANDIDATES, description = "nachos: "
            + "real evaluations per iteration (default ${DEFAULT-VALUE}).")
    int candidates;
    @Option(names = "--trial-epochs", defaultValue = "1", description = "nachos: epochs of backbone training, then as "
            + "many of exit training, per candidate (default ${DEFAULT-VALUE}).")
    int trialEpochs;
    @Option(names = "--w-macs", defaultValue = "1", description = "nachos: weight of L_macs (default ${DEFAULT-VALUE}).")
    double wMacs;
    @Option(names = "--w-sup", defaultValue = "1", description = "nachos: weight of L_sup (default ${DEFAULT-VALUE}).")
    double wSup;
    @Option(names = "--supernet", paramLabel = "DIR", description = "nachos: start candidates from a trained supernet "
            + "(not built yet: refused).")
    Path supernet;
    @Mixin
    ClusterCoordinatorOptions cluster = new ClusterCoordinatorOptions();

    int run(String space, RunOptions run) {
        if (!"mbv3".equals(space)) {
            throw new UserError("--algo nachos searches the mbv3 space (--space mbv3), not " + space);
        }
        if (macsMax == null || !(macsMax > 0)) {
            throw new UserError("--algo nachos needs --macs-max M (MACs per image, > 0)");
        }
        if (top1Min < 0 || top1Min > 100) {
            throw new UserError("--top1-min must be a percentage in [0, 100], got " + top1Min);
        }
        if (supernet != null) {
            throw new UserError("--supernet is not supported by nachos yet (the once-for-all supernet is not built); "
                    + "candidates train from scratch");
        }
        if (trialEpochs < 1 || iterations < 0 || initial < 2 || candidates < 1 || wMacs < 0 || wSup < 0) {
            throw new UserError("need --trial-epochs >= 1, --iterations >= 0, --initial >= 2, --candidates >= 1 and "
                    + "non-negative --w-macs / --w-sup");
        }
        RunStart start = run.start();
        NachosTrainConfig cfg = new NachosTrainConfig(trialEpochs, run.batch, 0.1, 0.0, 0.9, 5e-5, run.seed,
                run.threadCount(), run.trainLimit, macsMax, top1Min / 100, wMacs, wSup, 1);
        Map<String, String> settings = NachosTrial.settings(run.dataset, run.dataDir, cfg);
        NachosProblem problem = new NachosProblem(new NachosGeneSpace(new Mbv3GeneSpace(List.of())), macsMax,
                new TrialBudget(trialEpochs, run.trainLimit), run.seed, settings);
        SearchSettings search = new SearchSettings(initial, iterations, candidates, Nsga2.Settings.DEFAULT,
                SearchSettings.DEFAULT_PATIENCE, run.seed);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "search");
        config.put("algo", ALGO);
        config.put("space", space);
        config.put("dataset", run.dataset);
        config.put("data_dir", run.dataDir == null ? null : run.dataDir.toString());
        config.put("macs_max", macsMax);
        config.put("top1_min", top1Min);
        config.put("iterations", iterations);
        config.put("initial", initial);
        config.put("candidates", candidates);
        config.put("trial_epochs", trialEpochs);
        config.put("train_limit", run.trainLimit);
        config.put("batch", run.batch);
        config.put("seed", run.seed);
        config.put("threads", cfg.threads());
        config.put("w_macs", wMacs);
        config.put("w_sup", wSup);
        Path dir = run.directory(ALGO, space);
        Map<String, Object> result;
        try (RunDirectory rd = RunDirectory.open(dir, start, System.err)) {
            NachosRun nachos = new NachosRun(problem, search, config, rd, System.err);
            try (TrialRunner runner = cluster.runner(new NachosTrial(nachos.weightsDir()), 1, System.err)) {
                result = nachos.run(runner, start.resumes());
            }
        } catch (RuntimeException | Error e) {
            run.discardUnused();
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> front = (List<Map<String, Object>>) result.get("front");
        System.out.printf(Locale.ROOT, "admissible Pareto set (%d members, expected MACs <= %,.0f):%n", front.size(),
                macsMax);
        for (int k = 0; k < front.size(); k++) {
            Map<String, Object> m = front.get(k);
            System.out.printf(Locale.ROOT, "  [%d] error %.2f%%  expected MACs %,.0f (full %,.0f)  exits after stages %s%n",
                    k, m.get("error"), m.get("macs_expected"), m.get("macs_full"),
                    java.util.Arrays.toString((int[]) m.get("exit_stages")));
        }
        System.out.println("run directory: " + dir);
        System.out.println("evaluate a member: nas eval --run " + dir + " --member K");
        return 0;
    }
}
