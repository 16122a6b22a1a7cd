package archway.trials;

import archway.train.TrainConfig;
import archway.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Trial kind "train": trains one discrete architecture from scratch with one seed (what {@code nas train}
 * does) and reports its test accuracy and loss, parameters and MACs. The run directory is a temporary folder
 * deleted afterwards; timings are left out of the metrics because they are not a function of the spec.
 */
public final class TrainTrial implements TrialKind {
    public static final String NAME = "train";

    /**
     * Everything the metrics depend on. {@code dataDir} must name the same data on every worker (or be null
     * for the bundled fashion-mnist-mini); {@code threads} is part of the spec because results are
     * bit-identical per thread count.
     */
    public record Spec(String space, String arch, String dataset, String dataDir, int epochs, int channels, int cells,
                       int batch, long seed, int threads, double lr, double lrMin, double momentum,
                       double weightDecay, double gradClip, int trainLimit) {
        public TrainConfig config(Path out) {
            return new TrainConfig(space, arch, dataset, dataDir == null ? null : Path.of(dataDir), epochs, channels,
                    cells, batch, seed, threads, lr, lrMin, momentum, weightDecay, true, gradClip, trainLimit, out);
        }

        /** The spec of training {@code cfg} (its output directory is not part of it). */
        public static Spec of(TrainConfig cfg) {
            return new Spec(cfg.space(), cfg.arch(), cfg.dataset(), cfg.dataDir() == null ? null : cfg.dataDir().toString(),
                    cfg.epochs(), cfg.channels(), cfg.cells(), cfg.batch(), cfg.seed(), cfg.threads(), cfg.lr(), cfg.lrMin(),
                    cfg.momentum(), cfg.weightDecay(), cfg.gradClip(), cfg.trainLimit());
        }

        public TrialTask task() {
            return TrialTask.of(NAME, TrialJson.write(this));
        }
    }

    /** The metrics of one trained network. */
    public record Metrics(double testAccuracy, double testLoss, long params, long macs) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String evaluate(String specJson, TrialSlot slot) throws IOException {
        Spec spec = TrialJson.read(specJson, Spec.class);
        Path dir = Files.createTempDirectory("archway-trial-");
        try {
            Map<String, Object> r = new Trainer(spec.config(dir), new PrintStream(OutputStream.nullOutputStream()))
                    .run(false);
            return TrialJson.write(new Metrics((Double) r.get("test_accuracy"), (Double) r.get("test_loss"),
                    (Long) r.get("params"), (Long) r.get("macs")));
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
