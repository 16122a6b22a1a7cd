package archway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.train.LrSteps;
import archway.train.TrainAugmentation;
import archway.train.TrainConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The library's {@link TrainConfig#defaults} are the defaults of {@code nas train}, option by option. */
class TrainConfigDefaultsTest {
    @Test
    void libraryDefaultsEqualTheCommandLineDefaults() {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs("--arch", "333313", "--out", "x");
        TrainConfig d = TrainConfig.defaults("nb201", "333313", "fashion-mnist-mini", Path.of("x"));
        TrainConfig cli = cmd.recipe.config(cmd.run, cmd.run.seed, cmd.run.out); // what nas train runs
        assertEquals(cli, d);
    }

    @Test
    void copiesChangeOnlyTheirFields() {
        TrainConfig d = TrainConfig.defaults("nb201", "333313", "fashion-mnist-mini", Path.of("x"));
        TrainConfig c = d.withSize(2, 8, 3, 16).withSeed(7, 1).withTrainLimit(100)
                .withRecipe(TrainAugmentation.CROP, LrSteps.EPOCH);
        assertEquals(new TrainConfig("nb201", "333313", "fashion-mnist-mini", null, 2, 8, 3, 16, 7, 1, d.lr(), d.lrMin(),
                d.momentum(), d.weightDecay(), d.nesterov(), d.gradClip(), 100, Path.of("x"), TrainAugmentation.CROP,
                LrSteps.EPOCH), c);
    }
}
