package archway.cli;

import archway.UserError;
import archway.train.LrSteps;
import archway.train.TrainAugmentation;
import archway.train.TrainConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The architecture and training recipe of one discrete network (nas train, nas retrain). */
final class TrainRecipeOptions {
    @Option(names = "--space", defaultValue = "nb201", description = "Search space of the architecture: nb201 | darts (default ${DEFAULT-VALUE}).")
    String space;
    @Option(names = {"--arch", "--genotype"}, required = true,
            description = {"nb201: architecture string (|op~0|+|op~0|op~1|+...) or 6-digit op indices (e.g. 333313). "
                    + "darts: Genotype(normal=[(op, input), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[...]) "
                    + "as printed by nas search --space darts."})
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
    @Option(names = "--augment", defaultValue = "auto",
            description = {"Training augmentation: auto | none | crop | flip | crop+flip (default ${DEFAULT-VALUE}: flip for "
                    + "fashion-mnist, crop+flip for colour images, crop for other grey images; crop pads 4 pixels)."})
    String augment;
    @Option(names = "--lr-steps", defaultValue = "step",
            description = "Cosine learning rate updated every step or every epoch: step | epoch (default ${DEFAULT-VALUE}).")
    String lrSteps;
    @Option(names = "--grad-clip", defaultValue = "5", description = "Global gradient-norm clip, 0 = off (default ${DEFAULT-VALUE}).")
    double gradClip;

    /** The training configuration with {@code seed}; bad values are one user error. */
    TrainConfig config(RunOptions run, long seed, Path dir) {
        try {
            return new TrainConfig(space, arch, run.dataset, run.dataDir, epochs, channels, cells, run.batch, seed,
                    run.threadCount(), lr, lrMin, momentum, weightDecay, true, gradClip, run.trainLimit, dir,
                    TrainAugmentation.parse(augment), LrSteps.parse(lrSteps));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
