package archway.cli;

import archway.UserError;
import archway.train.TrainConfig;
import archway.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas train}: trains one discrete architecture from scratch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one discrete network from scratch and write DIR/result.json (test_accuracy in percent,",
                "params, MACs, epochs, seconds), DIR/metrics.jsonl (one line per epoch), DIR/checkpoint.bin and DIR/report.html.",
                "A checkpoint is written after every epoch; --resume continues a killed run to the same result.",
                "",
                "Example: nas train --space nb201 --arch '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|' \\",
                "           --dataset fashion-mnist-mini --epochs 5 --channels 16 --cells 1 --out runs/train-demo",
                "Example: nas train --space darts --cells 8 --genotype \"Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), \\",
                "           ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), \\",
                "           ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), \\",
                "           ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), \\",
                "           ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])\"", ""})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    RunOptions run = new RunOptions();
    @Option(names = "--space", defaultValue = "nb201", description = "Search space of the architecture: nb201 | darts (default ${DEFAULT-VALUE}).")
    String space;
    @Option(names = {"--arch", "--genotype"}, required = true,
            description = {"nb201: architecture string (|op~0|+|op~0|op~1|+...) or 6-digit op indices (e.g. 333313).",
                    "darts: Genotype(normal=[(op, input), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[...])",
                    "as printed by nas search --space darts."})
    String arch;
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--channels", defaultValue = "16", description = "Channels of the first stage C (default ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--cells", defaultValue = "1", description = "nb201: cells per stage N; darts: cells in total (default ${DEFAULT-VALUE}).")
    int cells;
    @Option(names = "--lr", defaultValue = "0.1", description = "Initial learning rate, cosine-annealed (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--lr-min", defaultValue = "0", description = "Final learning rate (default ${DEFAULT-VALUE}).")
    double lrMin;
    @Option(names = "--momentum", defaultValue = "0.9", description = "Nesterov momentum (default ${DEFAULT-VALUE}).")
    double momentum;
    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--grad-clip", defaultValue = "5", description = "Global gradient-norm clip, 0 = off (default ${DEFAULT-VALUE}).")
    double gradClip;

    @Override
    public Integer call() {
        run.selectDevice();
        Path dir = run.directory("train", space);
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(space, arch, run.dataset, run.dataDir, epochs, channels, cells, run.batch, run.seed,
                    run.threadCount(), lr, lrMin, momentum, weightDecay, true, gradClip, run.trainLimit, dir);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Map<String, Object> r = new Trainer(cfg, System.err).run(run.resume);
        System.out.printf("test accuracy %.2f%%  params %d  MACs %d  %.1f s  -> %s%n", (Double) r.get("test_accuracy"),
                (Long) r.get("params"), (Long) r.get("macs"), (Double) r.get("seconds"), dir.resolve("result.json"));
        System.out.println("report: " + archway.report.RunReport.write(dir));
        return 0;
    }
}
