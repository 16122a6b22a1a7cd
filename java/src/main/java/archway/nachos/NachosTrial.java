package archway.nachos;

import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.graph.ValueKind;
import archway.run.Checkpoint;
import archway.runtime.Backends;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialEvaluator;
import archway.trial.TrialSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trials of problem {@value NachosProblem#TRIAL_KIND}: build the early-exit network a NACHOS genome describes, train it
 * ({@link NachosTrainer}), tune its thresholds and measure it on the test split; metrics as {@link NachosMetrics}.
 * Everything comes from the spec (genes, budget, seed, settings), so cluster workers run it too. A local run may
 * give a folder to keep each trial's trained weights in ({@code <id>.ckpt}), which {@code nas eval} reloads.
 */
public final class NachosTrial implements TrialEvaluator {
    public static final String PROBLEM = NachosProblem.TRIAL_KIND;
    static final String WEIGHTS = "weights";
    static final String STATE = "state";

    private final Path weightsDir;

    /** Keeps no weights (what workers run). */
    public NachosTrial() {
        this(null);
    }

    /** @param weightsDir where to write each trial's trained weights, or null */
    public NachosTrial(Path weightsDir) {
        this.weightsDir = weightsDir;
    }

    /** The settings every NACHOS trial spec carries (the search's flags), by name. */
    public static Map<String, String> settings(String dataset, Path dataDir, NachosTrainConfig cfg) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dataset", dataset);
        if (dataDir != null) {
            s.put("data_dir", dataDir.toString());
        }
        s.put("batch", Integer.toString(cfg.batch()));
        s.put("threads", Integer.toString(cfg.threads()));
        s.put("lr", Double.toString(cfg.lr()));
        s.put("lr_min", Double.toString(cfg.lrMin()));
        s.put("momentum", Double.toString(cfg.momentum()));
        s.put("weight_decay", Double.toString(cfg.weightDecay()));
        s.put("macs_max", Double.toString(cfg.macsMax()));
        s.put("top1_min", Double.toString(cfg.top1Min()));
        s.put("w_macs", Double.toString(cfg.wMacs()));
        s.put("w_sup", Double.toString(cfg.wSup()));
        s.put("n_sup", Integer.toString(cfg.nSup()));
        return s;
    }

    /** The training configuration a spec describes. */
    public static NachosTrainConfig config(TrialSpec spec) {
        Map<String, String> s = spec.settings();
        TrialBudget b = spec.budget();
        return new NachosTrainConfig(b.epochs(), Integer.parseInt(setting(s, "batch")),
                Double.parseDouble(setting(s, "lr")), Double.parseDouble(setting(s, "lr_min")),
                Double.parseDouble(setting(s, "momentum")), Double.parseDouble(setting(s, "weight_decay")), spec.seed(),
                Integer.parseInt(setting(s, "threads")), b.trainLimit(), Double.parseDouble(setting(s, "macs_max")),
                Double.parseDouble(setting(s, "top1_min")), Double.parseDouble(setting(s, "w_macs")),
                Double.parseDouble(setting(s, "w_sup")), Integer.parseInt(setting(s, "n_sup")));
    }

    /** The dataset a spec names. */
    public static DatasetSplit data(TrialSpec spec) {
        String dir = spec.settings().get("data_dir");
        return Datasets.load(setting(spec.settings(), "dataset"), dir == null ? null : Path.of(dir));
    }

    /** The network a NACHOS genome describes, at the dataset's resolution. */
    public static EarlyExitNetwork network(int[] genes, Dataset train) {
        NachosGeneSpace.Decoded d = new NachosGeneSpace(new Mbv3GeneSpace(java.util.List.of())).decode(genes);
        return EarlyExitNetwork.of(d.arch(), d.exits(), train.channels(), train.height(), train.numClasses());
    }

    private static String setting(Map<String, String> s, String name) {
        String v = s.get(name);
        if (v == null) {
            throw new IllegalArgumentException("nachos trial without setting '" + name + "'");
        }
        return v;
    }

    @Override
    public Map<String, Double> evaluate(TrialSpec spec) throws IOException {
        NachosTrainConfig cfg = config(spec);
        DatasetSplit data = data(spec);
        Dataset train = data.train();
        EarlyExitNetwork net = network(spec.genes(), train);
        Backends.standard().threads(cfg.threads());
        try (EarlyExitModel model = new EarlyExitModel(Backends.standard(), net, train.channels(), train.height(),
                cfg.seed())) {
            NachosTrainer.Trained t = new NachosTrainer(cfg, new PrintStream(OutputStream.nullOutputStream()))
                    .train(model, data);
            if (weightsDir != null) {
                save(model, spec, weightsDir.resolve(spec.id() + ".ckpt"));
            }
            return metrics(net, t, model.params().weightCount());
        }
    }

    /** Writes the model's weights and BN statistics with the spec they belong to. */
    static void save(EarlyExitModel model, TrialSpec spec, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        var p = model.params();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        new Checkpoint().putString("spec", spec.id())
                .putFloats(WEIGHTS, p.weights(), p.flatLength(ValueKind.WEIGHT))
                .putFloats(STATE, p.state(), p.flatLength(ValueKind.STATE))
                .write(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads what {@link #save} wrote into a model of the same network. */
    public static void load(EarlyExitModel model, Path file) throws IOException {
        Checkpoint ck = Checkpoint.read(file);
        var p = model.params();
        ck.getFloats(WEIGHTS, p.weights(), p.flatLength(ValueKind.WEIGHT));
        ck.getFloats(STATE, p.state(), p.flatLength(ValueKind.STATE));
    }

    static Map<String, Double> metrics(EarlyExitNetwork net, NachosTrainer.Trained t, long params) {
        Map<String, Double> m = new LinkedHashMap<>();
        ThresholdTuner.Outcome test = t.test();
        int exits = net.exits();
        m.put(NachosMetrics.ERROR, 100 * (1 - test.top1()));
        m.put(NachosMetrics.MACS, test.macs());
        m.put(NachosMetrics.MACS_FULL, t.exitMacs()[exits - 1]);
        m.put(NachosMetrics.BACKBONE_ERROR, 100 * (1 - t.testExitAccuracy()[exits - 1]));
        m.put(NachosMetrics.VAL_TOP1, 100 * t.validation().top1());
        m.put(NachosMetrics.VAL_MACS, t.validation().macs());
        m.put(NachosMetrics.PARAMS, (double) params);
        m.put(NachosMetrics.EXITS, (double) exits);
        int[] stages = net.placement().stages();
        for (int j = 0; j < exits; j++) {
            m.put(NachosMetrics.exit(j, "stage"), (double) (j < exits - 1 ? stages[j] + 1 : 5));
            m.put(NachosMetrics.exit(j, "pool"), (double) (j < exits - 1 ? net.costs().heads()[j].pool() : 1));
            m.put(NachosMetrics.exit(j, "threshold"), j < exits - 1 ? t.thresholds()[j] : 0.0);
            m.put(NachosMetrics.exit(j, "rate"), test.rates()[j]);
            if (!Double.isNaN(test.exitTop1()[j])) {
                m.put(NachosMetrics.exit(j, "top1"), 100 * test.exitTop1()[j]);
            }
            m.put(NachosMetrics.exit(j, "alone_top1"), 100 * t.testExitAccuracy()[j]);
            m.put(NachosMetrics.exit(j, "macs"), t.exitMacs()[j]);
        }
        return m;
    }
}
