package archway.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import archway.UserError;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.nn.Network;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Network;
import archway.train.TrainAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandwich-rule training of the supernet: same seed, same weights; a resumed run ends where an uninterrupted one does. */
class SupernetTrainerTest {
    /** 16 training and 8 test images of 8x8 pixels, 3 classes, the class written into the image's brightness. */
    static DatasetSplit tinyData() {
        SplittableRandom rng = new SplittableRandom(1);
        return new DatasetSplit(tiny("tiny-train", 16, rng), tiny("tiny-test", 8, rng), "synthetic");
    }

    private static Dataset tiny(String name, int n, SplittableRandom rng) {
        byte[] images = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 64; p++) {
                images[i * 64 + p] = (byte) Math.min(255, 60 * labels[i] + rng.nextInt(80));
            }
        }
        return new Dataset(name, 1, 8, 8, 3, images, labels, List.of());
    }

    static SupernetConfig config(Path out, long seed) {
        return SupernetConfig.defaults("tiny", out).withSize(2, 8, 0, 8).withSeed(seed, 2)
                .withAugmentation(TrainAugmentation.NONE);
    }

    private static Map<String, Object> train(Path out, long seed, RunStart start) {
        return new SupernetTrainer(config(out, seed), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run(start, tinyData());
    }

    private static String identity(Path run) {
        try (Mbv3Supernet s = Mbv3Supernet.load(run)) {
            return s.identity();
        }
    }

    /** The run's metrics without the fields that time it. */
    private static List<Map<String, Object>> untimed(Path run) {
        List<Map<String, Object>> m = new RunDirectory(run).readMetrics();
        m.forEach(line -> {
            line.remove("seconds");
            line.remove("images_per_s");
        });
        return m;
    }

    @Test
    void sameSeedSameWeightsAndAResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        Map<String, Object> ra = train(a, 3, RunStart.NEW);
        String weightsA = identity(a);
        assertEquals(weightsA, ra.get("identity"));
        try (Mbv3Supernet fresh = Mbv3Supernet.create(1, 8, 3, 3)) {
            assertNotEquals(fresh.identity(), weightsA, "training moved the weights");
        }
        // The uninterrupted run's epoch-1 checkpoint is what a run killed during epoch 2 leaves behind.
        Files.createDirectories(b);
        Files.copy(a.resolve("checkpoint.prev.bin"), b.resolve("checkpoint.bin"));
        Files.copy(a.resolve("config.json"), b.resolve("config.json"));
        Files.writeString(b.resolve("metrics.jsonl"), Files.readAllLines(a.resolve("metrics.jsonl")).get(0) + "\n");
        train(b, 3, RunStart.RESUME);
        assertEquals(weightsA, identity(b), "resumed after epoch 1");
        assertEquals(untimed(a), untimed(b), "metrics of the resumed run");
        train(c, 3, RunStart.NEW);
        assertEquals(weightsA, identity(c), "same seed, same weights");
        @SuppressWarnings("unchecked")
        Map<String, Object> largest = (Map<String, Object>) ra.get("largest");
        assertEquals(Mbv3Arch.largest().toString(), largest.get("arch"));
        assertEquals(2, new RunDirectory(a).readMetrics().size());
        // A resume with other flags is refused, as for every run.
        UserError e = assertThrows(UserError.class, () -> new SupernetTrainer(config(a, 4), System.err)
                .run(RunStart.RESUME, tinyData()));
        assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
    }

    @Test
    void aCandidateStartsFromTheSupernetsSlicesWithRecalibratedStatistics(@TempDir Path tmp) {
        Mbv3Arch arch = Mbv3Arch.uniform(3, 5, 4);
        DatasetSplit data = tinyData();
        archway.data.ChannelStats stats = archway.data.ChannelStats.of(data.train());
        try (Mbv3Supernet sn = Mbv3Supernet.create(1, 8, 3, 9);
             Network candidate = new Network(Mbv3Network.discrete(arch, 3), 1, 8, 8, 77);
             Subnet reference = sn.subnet(arch);
             archway.data.EvalBatches calib = new archway.data.EvalBatches(data.train(), 8, stats)) {
            float[] before = candidate.params().state().toFloatArray();
            sn.initialise(candidate, arch, calib);
            assertEquals(java.util.Arrays.toString(reference.network().params().weights().toFloatArray()),
                    java.util.Arrays.toString(candidate.params().weights().toFloatArray()));
            assertNotEquals(java.util.Arrays.toString(before),
                    java.util.Arrays.toString(candidate.params().state().toFloatArray()), "statistics recalibrated");
            assertThrows(IllegalArgumentException.class, () -> sn.copyWeights(candidate, Mbv3Arch.smallest()));
        }
    }

    @Test
    void badInputIsOneErrorLine(@TempDir Path tmp) throws Exception {
        for (String[] args : List.of(
                new String[] {"supernet", "train", "--space", "nb201", "--out", tmp.resolve("x").toString()},
                new String[] {"supernet", "train", "--space", "mbv3", "--epochs", "0", "--out", tmp.resolve("x").toString()},
                new String[] {"supernet", "train", "--space", "mbv3", "--resume"},
                new String[] {"supernet", "train", "--space", "mbv3", "--lr", "-1", "--out", tmp.resolve("x").toString()},
                new String[] {"supernet", "eval", "--supernet", tmp.resolve("none").toString()},
                new String[] {"supernet", "eval", "--supernet", tmp.toString(), "--arch", "{\"d\":[9]}"})) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("x").resolve("checkpoint.bin")));
        Files.writeString(tmp.resolve("config.json"), "{\"command\": \"train\"}");
        CliRun r = CliRun.of("supernet", "eval", "--supernet", tmp.toString());
        assertEquals(2, r.code(), r.err());
        UserError e = assertThrows(UserError.class, () -> Mbv3Supernet.load(tmp));
        assertTrue(e.getMessage().contains("no checkpoint.bin"), e.getMessage());
    }
}
