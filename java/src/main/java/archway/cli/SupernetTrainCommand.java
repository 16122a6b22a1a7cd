package archway.cli;

import archway.UserError;
import archway.run.RunStart;
import archway.supernet.SandwichRule;
import archway.supernet.SupernetConfig;
import archway.supernet.SupernetTrainer;
import archway.train.TrainAugmentation;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas supernet train}: trains the mbv3 once-for-all supernet with the sandwich rule. */
@Command(name = "train", header = "Train the mbv3 once-for-all supernet (sandwich rule); resumable.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the once-for-all supernet of the mbv3 space with the sandwich rule: every step the largest, "
                + "the smallest and two random subnets run on the same batch, their gradients are summed into the shared "
                + "weights, one SGD step. Writes DIR/config.json, DIR/metrics.jsonl (per epoch: losses, test accuracy of the "
                + "largest and smallest subnet after batch-norm recalibration), DIR/checkpoint.bin (every epoch; --resume "
                + "continues a killed run to the same weights), DIR/result.json and DIR/report.html. Use DIR with nas "
                + "supernet eval.",
                "",
                "Example: nas supernet train --space mbv3 --dataset fashion-mnist-mini --epochs 2 --train-limit 2000 \\",
                "           --out runs/supernet-demo", ""})
final class SupernetTrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    RunOptions run = new RunOptions();
    @Option(names = "--space", required = true, description = "Search space: mbv3 (the only one with a supernet).")
    String space;
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--lr", defaultValue = "0.1", description = "Initial learning rate, cosine-annealed per step (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--lr-min", defaultValue = "0", description = "Final learning rate (default ${DEFAULT-VALUE}).")
    double lrMin;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;
    @Option(names = "--weight-decay", defaultValue = "5e-5", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--grad-clip", defaultValue = "5",
            description = "Norm clip of the summed gradient of a step, 0 = off (default ${DEFAULT-VALUE}).")
    double gradClip;
    @Option(names = "--random-subnets", defaultValue = "2",
            description = "Random subnets per step besides the largest and the smallest (default ${DEFAULT-VALUE}).")
    int randomSubnets;
    @Option(names = "--calibration-images", defaultValue = "512",
            description = "Training images on which a subnet's batch-norm statistics are recalibrated before it is evaluated (default ${DEFAULT-VALUE}).")
    int calibrationImages;
    @Option(names = "--augment", defaultValue = "auto",
            description = "Training augmentation: auto | none | crop | flip | crop+flip (default ${DEFAULT-VALUE}: as nas train).")
    String augment;

    @Override
    public Integer call() {
        if (!space.equals("mbv3")) {
            throw new UserError("--space " + space + ": the once-for-all supernet exists for mbv3 only");
        }
        RunStart start = run.start();
        SupernetConfig cfg;
        try {
            cfg = new SupernetConfig(run.dataset, run.dataDir, epochs, run.batch, run.seed, run.threadCount(), lr, lrMin,
                    momentum, weightDecay, gradClip, run.trainLimit, calibrationImages, new SandwichRule(randomSubnets),
                    TrainAugmentation.parse(augment), run.out);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = run.directory("supernet", space);
        Map<String, Object> r;
        try {
            r = new SupernetTrainer(cfg.withOut(dir), System.err).run(start);
        } catch (RuntimeException | Error e) {
            run.discardUnused();
            throw e;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> largest = (Map<String, Object>) r.get("largest");
        @SuppressWarnings("unchecked")
        Map<String, Object> smallest = (Map<String, Object>) r.get("smallest");
        System.out.printf(Locale.ROOT, "largest subnet %.2f%%  smallest subnet %.2f%%  (%d shared weights, %.1f s)  -> %s%n",
                (Double) largest.get("test_accuracy"), (Double) smallest.get("test_accuracy"), (Long) r.get("params"),
                (Double) r.get("seconds"), dir.resolve("result.json"));
        System.out.println("report: " + archway.report.RunReport.write(dir));
        return 0;
    }
}
