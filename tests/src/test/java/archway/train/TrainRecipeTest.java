package archway.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.cli.Main;
import archway.data.Augmentation;
import archway.data.Dataset;
import archway.optim.CosineSchedule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe knobs of nas train: per-step cosine, augmentation by dataset, and their command-line spellings. */
class TrainRecipeTest {
    private static Dataset tiny(String name, int channels) {
        return new Dataset(name, channels, 2, 2, 2, new byte[channels * 4], new int[] {0}, List.of());
    }

    @Test
    void perStepCosineFollowsTheClosedFormBetweenEpochs() {
        CosineSchedule s = new CosineSchedule(0.1, 0.0, 5);
        int steps = 4;
        // Step 2 of epoch 3 is 3.5 epochs in: 0.05 (1 + cos(0.7 pi)).
        assertEquals(0.05 * (1 + Math.cos(0.7 * Math.PI)), s.at(LrSteps.STEP.progress(3, 2, steps)), 1e-15);
        assertEquals(s.at(3), s.at(LrSteps.EPOCH.progress(3, 2, steps)), 0.0);
        // The last step of the run is one step short of the minimum, not a whole epoch short.
        assertEquals(0.05 * (1 + Math.cos(Math.PI * (4 + 3.0 / 4) / 5)), s.at(LrSteps.STEP.progress(4, 3, steps)), 1e-15);
    }

    @Test
    void automaticAugmentationFlipsClothingAndCropsOnlyWhereItHelps() {
        assertEquals(new Augmentation(0, true, 0), TrainAugmentation.AUTO.of(tiny("fashion-mnist-mini-train", 1)));
        assertEquals(new Augmentation(4, true, 0), TrainAugmentation.AUTO.of(tiny("cifar10-train", 3)));
        assertEquals(new Augmentation(4, false, 0), TrainAugmentation.AUTO.of(tiny("medmnist-train", 1)));
        assertEquals(new Augmentation(4, true, 0), TrainAugmentation.parse("crop+flip").of(tiny("x", 1)));
        assertEquals(Augmentation.NONE, TrainAugmentation.parse("none").of(tiny("x", 3)));
        assertThrows(IllegalArgumentException.class, () -> TrainAugmentation.parse("mirror"));
    }

    @Test
    void unknownRecipeValuesAreOneLineUserErrors(@TempDir Path tmp) {
        String arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
        assertEquals(2, Main.run("train", "--arch", arch, "--augment", "mirror", "--out", tmp.toString()));
        assertEquals(2, Main.run("train", "--arch", arch, "--lr-steps", "batch", "--out", tmp.toString()));
    }
}
