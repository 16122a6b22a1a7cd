package archway.cli;

import archway.run.RunStart;
import archway.train.TrainConfig;
import archway.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas train}: trains one discrete architecture from scratch. */
@Command(name = "train", header = "Train one discrete network from scratch; resumable, writes a run directory.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one discrete network from scratch and write DIR/result.json (test_accuracy in percent, "
                + "params, MACs, epochs, seconds), DIR/metrics.jsonl (one line per epoch), DIR/checkpoint.bin and DIR/report.html. "
                + "A checkpoint is written after every epoch; --resume continues a killed run to the same result.",
                "",
                "Example: nas train --space nb201 --dataset fashion-mnist-mini --epochs 5 --channels 16 --cells 1 \\",
                "    --out runs/train-demo \\",
                "    --arch '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|'",
                "Example: nas train --space darts --cells 8 --genotype \"Genotype(normal=[('sep_conv_3x3', 0), \\",
                "    ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), \\",
                "    ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], \\",
                "    reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), \\",
                "    ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], \\",
                "    reduce_concat=[2, 3, 4, 5])\"", ""})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    RunOptions run = new RunOptions();
    @CommandLine.Mixin
    DeviceOptions device = new DeviceOptions();
    @CommandLine.Mixin
    TrainRecipeOptions recipe = new TrainRecipeOptions();

    @Override
    public Integer call() {
        RunStart start = run.start();
        device.select();
        TrainConfig cfg = recipe.config(run, run.seed, run.out);
        Path dir = run.directory("train", recipe.space);
        Map<String, Object> r;
        try {
            r = new Trainer(cfg.withOut(dir), System.err).run(start);
        } catch (RuntimeException | Error e) {
            run.discardUnused();
            throw e;
        }
        System.out.printf("test accuracy %.2f%%  params %d  MACs %d  %.1f s  -> %s%n", (Double) r.get("test_accuracy"),
                (Long) r.get("params"), (Long) r.get("macs"), (Double) r.get("seconds"), dir.resolve("result.json"));
        System.out.println("report: " + archway.report.RunReport.write(dir));
        return 0;
    }
}
