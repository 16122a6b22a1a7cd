package archway.cli;

import archway.UserError;
import archway.run.RunDirectory;
import archway.runtime.Backend;
import archway.spaces.SpaceNetworks;
import archway.trial.ArchivedTrialRunner;
import archway.trial.DeviceBoundEvaluator;
import archway.trial.TrainTrial;
import archway.trial.TrialArchive;
import archway.trial.TrialProblems;
import archway.trial.TrialProgress;
import archway.trial.TrialResult;
import archway.trial.TrialRunner;
import archway.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas retrain}: trains one architecture once per seed, locally or on a cluster. */
@Command(name = "retrain", header = "Train one architecture once per seed, here or on a cluster; resumable.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one architecture once per seed, here or on a cluster of nas workers. "
                + "Each seed is one trial; reports the test accuracy per seed, its mean and standard deviation. "
                + "Trials run on this machine (--slots at a time; one at a time on a GPU with --device cuda) or on "
                + "a cluster of nas workers (--cluster HOST:PORT; each worker chooses its device). Writes DIR/config.json, DIR/trials.jsonl (one line per "
                + "finished trial, synced at once) and DIR/result.json; --resume after a kill runs only the trials that "
                + "are not in trials.jsonl yet.",
                "",
                "Example: nas retrain --arch 333313 --seeds 0,1,2 --epochs 3 --channels 8 --threads 2 --out runs/rt",
                "         nas retrain --arch 333313 --seeds 0,1,2,3 --threads 2 --cluster 10.0.0.1:5701 --cluster-bind 10.0.0.9",
                ""})
final class RetrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    RunOptions run = new RunOptions();
    @CommandLine.Mixin
    TrainRecipeOptions recipe = new TrainRecipeOptions();
    @Option(names = "--seeds", split = ",", paramLabel = "S", description = "Seeds, one trial each (default: --seed only).")
    List<Long> seeds;
    @Option(names = "--slots", defaultValue = "1", description = "Without --cluster: trials run at a time here (default ${DEFAULT-VALUE}).")
    int slots;
    @CommandLine.Mixin
    ClusterCoordinatorOptions cluster = new ClusterCoordinatorOptions();
    @CommandLine.Mixin
    DeviceOptions device = new DeviceOptions();

    @Override
    public Integer call() throws IOException {
        if (slots < 1) {
            throw new UserError("--slots must be >= 1, got " + slots);
        }
        Backend backend = TrialDevice.select(device, cluster.cluster != null, slots);  // before a directory is made
        Path dir = run.directory("retrain", recipe.space);
        List<Long> seedList = seeds == null ? List.of(run.seed) : seeds;
        if (new LinkedHashSet<>(seedList).size() != seedList.size()) {
            throw new UserError("--seeds has a seed twice: " + seedList);
        }
        SpaceNetworks.discrete(recipe.space, recipe.arch, recipe.channels, recipe.cells, 10); // a bad --arch fails here, not on the workers
        Map<Long, TrialSpec> tasks = new LinkedHashMap<>();
        for (long seed : seedList) {
            tasks.put(seed, TrainTrial.spec(recipe.config(run, seed, dir)));
        }
        RunDirectory rd = new RunDirectory(dir);
        TrialArchive archive = new TrialArchive(rd.file("trials.jsonl"));
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("command", "retrain");
        configMap.put("trials", List.copyOf(tasks.values()));
        if (!"cpu".equals(backend.name())) {
            configMap.put("device", backend.name());  // see FlatnasSearchConfig.toMap
        }
        String config = RunDirectory.toJson(configMap);
        Map<String, TrialResult> archived = resumeOrStart(rd, archive, config);
        List<TrialSpec> todo = tasks.values().stream().filter(t -> !archived.containsKey(t.id())).toList();
        System.err.printf("retrain: %d seed(s), %d already in the archive, %d to run %s%n", tasks.size(),
                tasks.size() - todo.size(), todo.size(), cluster.cluster == null ? "here, " + slots + " at a time"
                        : "on the cluster at " + cluster.cluster);
        if (!todo.isEmpty()) {
            try (TrialRunner runner = cluster.runner(new DeviceBoundEvaluator(TrialProblems.builtIn(), backend), slots,
                    System.err);
                 ArchivedTrialRunner archiving = new ArchivedTrialRunner(runner, archive, RetrainCommand::seedFinished)) {
                archiving.runAll(todo);
            }
        }
        Map<String, TrialResult> outcomes = archive.read();
        Map<String, Object> result = result(tasks, outcomes);
        rd.writeJson("result.json", result);
        System.out.println(summary(result) + "  -> " + rd.file("result.json"));
        System.out.println("report: " + archway.report.RunReport.write(dir));
        return 0;
    }

    /** One line per seed as its trial ends: its test accuracy (or why it failed) and the time left. */
    private static void seedFinished(TrialResult o, TrialProgress p) {
        String what = o.ok() ? String.format(java.util.Locale.ROOT, "test accuracy %.2f%%", o.metric("test_accuracy"))
                : "failed: " + o.error();
        System.err.printf("retrain: seed %d (trial %s) %s%s%n", o.spec().seed(), o.id().substring(0, 12), what, p.text());
    }

    /** The archive so far on --resume (same trials required), else a fresh run directory. */
    private Map<String, TrialResult> resumeOrStart(RunDirectory rd, TrialArchive archive, String config)
            throws IOException {
        Path cfg = rd.file("config.json");
        if (run.resume) {
            if (!Files.exists(cfg) || !Files.readString(cfg).equals(config)) {
                throw new UserError("--resume: " + cfg + " is missing or was written for other trials; use the same "
                        + "flags or a new --out directory");
            }
            archive.repair();
            return archive.read();
        }
        Files.createDirectories(cfg.getParent()); // a new --out directory
        Files.deleteIfExists(archive.file());
        Files.deleteIfExists(rd.file("result.json"));
        Files.writeString(cfg, config);
        return Map.of();
    }

    private static Map<String, Object> result(Map<Long, TrialSpec> tasks, Map<String, TrialResult> outcomes) {
        List<Map<String, Object>> perSeed = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        Long params = null, macs = null;
        for (var e : tasks.entrySet()) {
            TrialResult o = outcomes.get(e.getValue().id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", e.getKey());
            m.put("trial", e.getValue().id());
            if (o != null && o.ok()) {
                m.put("test_accuracy", o.metric("test_accuracy"));
                m.put("test_loss", o.metric("test_loss"));
                acc.add(o.metric("test_accuracy"));
                params = (long) o.metric("params");
                macs = (long) o.metric("macs");
            } else {
                m.put("error", o == null ? "not run" : o.error());
            }
            perSeed.add(m);
        }
        double mean = acc.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = acc.size() < 2 ? 0 : acc.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum() / (acc.size() - 1);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seeds", perSeed);
        r.put("trained", acc.size());
        r.put("failed", tasks.size() - acc.size());
        r.put("test_accuracy_mean", mean);
        r.put("test_accuracy_std", Math.sqrt(var));
        r.put("params", params);
        r.put("macs", macs);
        return r;
    }

    private static String summary(Map<String, Object> r) {
        return String.format("test accuracy %.2f%% +- %.2f over %d seed(s)%s", (Double) r.get("test_accuracy_mean"),
                (Double) r.get("test_accuracy_std"), (Integer) r.get("trained"),
                (Integer) r.get("failed") > 0 ? ", " + r.get("failed") + " failed" : "");
    }
}
