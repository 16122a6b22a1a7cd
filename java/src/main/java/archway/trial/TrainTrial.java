package archway.trial;

import archway.train.LrSteps;
import archway.train.TrainAugmentation;
import archway.train.TrainConfig;
import archway.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Trials of problem "train": train one discrete architecture from scratch with one seed (what {@code nas train}
 * does; {@code nas retrain --seeds} runs one per seed) and measure test accuracy and loss, parameters and MACs.
 * The architecture and recipe travel as spec settings; the run directory is a temporary folder deleted
 * afterwards, and timings are left out of the metrics because they are not a function of the spec.
 */
public final class TrainTrial implements TrialEvaluator {
    public static final String PROBLEM = "train";

    /** The spec of training {@code cfg} (its output directory is not part of it; its thread count is). */
    public static TrialSpec spec(TrainConfig cfg) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("space", cfg.space());
        s.put("arch", cfg.arch());
        s.put("dataset", cfg.dataset());
        if (cfg.dataDir() != null) {
            s.put("data_dir", cfg.dataDir().toString());
        }
        s.put("channels", Integer.toString(cfg.channels()));
        s.put("cells", Integer.toString(cfg.cells()));
        s.put("batch", Integer.toString(cfg.batch()));
        s.put("threads", Integer.toString(cfg.threads()));
        s.put("lr", Double.toString(cfg.lr()));
        s.put("lr_min", Double.toString(cfg.lrMin()));
        s.put("momentum", Double.toString(cfg.momentum()));
        s.put("weight_decay", Double.toString(cfg.weightDecay()));
        s.put("nesterov", Boolean.toString(cfg.nesterov()));
        s.put("grad_clip", Double.toString(cfg.gradClip()));
        s.put("augment", cfg.augmentation().cliName());
        s.put("lr_steps", cfg.lrSteps().cliName());
        return new TrialSpec(PROBLEM, new int[0], new TrialBudget(cfg.epochs(), cfg.trainLimit()), cfg.seed(), s);
    }

    /** The training configuration a spec describes, writing to {@code out}. */
    static TrainConfig config(TrialSpec spec, Path out) {
        Map<String, String> s = spec.settings();
        String dataDir = s.get("data_dir");
        return new TrainConfig(setting(s, "space"), setting(s, "arch"), setting(s, "dataset"),
                dataDir == null ? null : Path.of(dataDir), spec.budget().epochs(), Integer.parseInt(setting(s, "channels")),
                Integer.parseInt(setting(s, "cells")), Integer.parseInt(setting(s, "batch")), spec.seed(),
                Integer.parseInt(setting(s, "threads")), Double.parseDouble(setting(s, "lr")),
                Double.parseDouble(setting(s, "lr_min")), Double.parseDouble(setting(s, "momentum")),
                Double.parseDouble(setting(s, "weight_decay")), Boolean.parseBoolean(setting(s, "nesterov")),
                Double.parseDouble(setting(s, "grad_clip")), spec.budget().trainLimit(), out,
                TrainAugmentation.parse(setting(s, "augment")), LrSteps.parse(setting(s, "lr_steps")));
    }

    private static String setting(Map<String, String> s, String name) {
        String v = s.get(name);
        if (v == null) {
            throw new IllegalArgumentException("train trial without setting '" + name + "'");
        }
        return v;
    }

    @Override
    public Map<String, Double> evaluate(TrialSpec spec) throws IOException {
        Path dir = Files.createTempDirectory("archway-trial-");
        try {
            Map<String, Object> r = new Trainer(config(spec, dir), new PrintStream(OutputStream.nullOutputStream()))
                    .run(false);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("test_accuracy", (Double) r.get("test_accuracy"));
            m.put("test_loss", (Double) r.get("test_loss"));
            m.put("params", ((Long) r.get("params")).doubleValue());
            m.put("macs", ((Long) r.get("macs")).doubleValue());
            return m;
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
