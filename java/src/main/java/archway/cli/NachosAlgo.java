package archway.cli;

import static archway.cli.EvolutionarySearchOptions.or;

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
import archway.runtime.Backend;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.DeviceBoundEvaluator;
import archway.trial.TrialBudget;
import archway.trial.TrialEvaluator;
import archway.trial.TrialRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nas search --algo nachos --space mbv3 ...}: NACHOS (docs/NACHOS.md), early-exit networks under a MACs
 * budget; trials here or on a cluster. The trial recipe (SGD, lr 0.1, momentum 0.9, wd 5e-5, cosine) is FlatNAS's.
 */
final class NachosAlgo implements EvolutionaryAlgo {
    static final String ALGO = "nachos";

    @Override
    public String name() {
        return ALGO;
    }

    @Override
    public int search(String space, RunOptions run, EvolutionarySearchOptions evo, DeviceOptions device) {
        // No --supernet: nachos candidates train from scratch (the supernet start is built for flatnas only).
        evo.refuseAllBut(ALGO, List.of("--macs-max", "--top1-min", "--iterations", "--initial", "--candidates",
                "--trial-epochs", "--w-macs", "--w-sup", "--cluster"));
        Double macsMax = evo.macsMax;
        double top1Min = or(evo.top1Min, 0.0);
        int iterations = or(evo.iterations, 10);
        int initial = or(evo.initial, SearchSettings.DEFAULT_INITIAL);
        int candidates = or(evo.candidates, SearchSettings.DEFAULT_CANDIDATES);
        int trialEpochs = or(evo.trialEpochs, 1);
        double wMacs = or(evo.wMacs, 1.0);
        double wSup = or(evo.wSup, 1.0);
        if (!"mbv3".equals(space)) {
            throw new UserError("--algo nachos searches the mbv3 space (--space mbv3), not " + space);
        }
        if (macsMax == null || !(macsMax > 0)) {
            throw new UserError("--algo nachos needs --macs-max M (MACs per image, > 0)");
        }
        if (top1Min < 0 || top1Min > 100) {
            throw new UserError("--top1-min must be a percentage in [0, 100], got " + top1Min);
        }
        if (trialEpochs < 1 || iterations < 0 || initial < 2 || candidates < 1 || wMacs < 0 || wSup < 0) {
            throw new UserError("need --trial-epochs >= 1, --iterations >= 0, --initial >= 2, --candidates >= 1 and "
                    + "non-negative --w-macs / --w-sup");
        }
        RunStart start = run.start();
        Backend backend = TrialDevice.select(device, evo.cluster.cluster != null, 1);
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
        if (!"cpu".equals(backend.name())) {
            config.put("device", backend.name());  // see FlatnasSearchConfig.toMap
        }
        Path dir = run.directory(ALGO, space);
        Map<String, Object> result;
        try (RunDirectory rd = RunDirectory.open(dir, start, System.err)) {
            NachosRun nachos = new NachosRun(problem, search, config, rd, System.err);
            TrialEvaluator trials = new DeviceBoundEvaluator(new NachosTrial(nachos.weightsDir()), backend);
            try (TrialRunner runner = evo.cluster.runner(trials, 1, System.err)) {
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
        System.out.println("report: " + archway.report.RunReport.write(dir));
        System.out.println("evaluate a member: nas eval --run " + dir + " --member K");
        return 0;
    }
}
