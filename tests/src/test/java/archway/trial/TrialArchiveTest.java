package archway.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import archway.train.LrSteps;
import archway.train.TrainAugmentation;
import archway.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retrain archive and the train-trial spec: round trips, a line cut short by a kill. */
class TrialArchiveTest {
    static TrainConfig config(long seed) {
        return new TrainConfig("nb201", "333313", "fashion-mnist-mini", Path.of("/data/x"), 2, 4, 1, 16, seed, 2, 0.1, 0.001,
                0.9, 5e-4, true, 5, 64, Path.of("out"), TrainAugmentation.CROP_FLIP, LrSteps.EPOCH);
    }

    @Test
    void trainSpecDescribesItsConfigExactlyAndItsIdIgnoresTheOutputFolder() {
        TrainConfig c = config(7);
        TrialSpec s = TrainTrial.spec(c);
        assertEquals(new TrainConfig(c.space(), c.arch(), c.dataset(), c.dataDir(), c.epochs(), c.channels(), c.cells(),
                c.batch(), c.seed(), c.threads(), c.lr(), c.lrMin(), c.momentum(), c.weightDecay(), c.nesterov(),
                c.gradClip(), c.trainLimit(), Path.of("elsewhere"), c.augmentation(), c.lrSteps()),
                TrainTrial.config(s, Path.of("elsewhere")));
        assertEquals(s.id(), TrainTrial.spec(new TrainConfig(c.space(), c.arch(), c.dataset(), c.dataDir(), c.epochs(),
                c.channels(), c.cells(), c.batch(), c.seed(), c.threads(), c.lr(), c.lrMin(), c.momentum(), c.weightDecay(),
                c.nesterov(), c.gradClip(), c.trainLimit(), Path.of("elsewhere"), c.augmentation(), c.lrSteps())).id());
        assertEquals(s, TrialJson.readSpec(TrialJson.write(s)));
        assertNotEquals(s.id(), TrainTrial.spec(config(8)).id());
    }

    @Test
    void archiveKeepsWhatWasSyncedAndDropsALineCutShort(@TempDir Path tmp) throws Exception {
        TrialArchive a = new TrialArchive(tmp.resolve("trials.jsonl"));
        TrialResult r1 = TrialResult.ok(TrainTrial.spec(config(1)), Map.of("test_accuracy", 12.5, "test_loss", 2.25));
        TrialResult r2 = TrialResult.failed(TrainTrial.spec(config(2)), "UserError: --arch: bad");
        a.append(r1);
        a.append(r2);
        Files.writeString(a.file(), "{\"id\":\"cut", StandardOpenOption.APPEND);
        assertEquals(List.of(r1, r2), List.copyOf(a.read().values()));
        a.repair();
        a.append(r1); // a duplicate id keeps the first
        assertEquals(List.of(r1, r2), List.copyOf(a.read().values()));
        assertEquals(3, Files.readAllLines(a.file()).size());
    }
}
