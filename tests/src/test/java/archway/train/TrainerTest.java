package archway.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import archway.run.RunDirectory;
import java.io.File;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discrete training: determinism, resume after a real kill, divergence handling. */
class TrainerTest {
    static final String ARCH = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** Metrics that must be bit-identical between runs (timings excluded). */
    static final List<String> DETERMINISTIC = List.of("epoch", "lr", "train_loss", "train_accuracy", "test_loss", "test_accuracy");

    static TrainConfig config(Path out, int epochs, double lr) {
        return new TrainConfig("nb201", ARCH, "fashion-mnist-mini", null, epochs, 4, 1, 32, 7, 2, lr, 0, 0.9, 5e-4, true,
                5, 320, out, TrainAugmentation.AUTO, LrSteps.STEP);
    }

    static List<Map<String, Object>> deterministic(Path dir) {
        List<Map<String, Object>> m = new RunDirectory(dir).readMetrics();
        m.forEach(row -> row.keySet().retainAll(DETERMINISTIC));
        return m;
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalMetrics(@TempDir Path tmp) {
        new Trainer(config(tmp.resolve("a"), 2, 0.05), QUIET).run(false);
        new Trainer(config(tmp.resolve("b"), 2, 0.05), QUIET).run(false);
        List<Map<String, Object>> a = deterministic(tmp.resolve("a")), b = deterministic(tmp.resolve("b"));
        assertEquals(2, a.size());
        assertEquals(a, b);
        assertTrue(Files.exists(tmp.resolve("a/result.json")));
        assertTrue(Files.exists(tmp.resolve("a/checkpoint.bin")));
    }

    @Test
    void aListenerHearsEachEpochItsCheckpointAndTheEndWithTheNumbersOnDisk(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        List<TrainEvent> events = new java.util.ArrayList<>();
        List<Boolean> checkpointOnDisk = new java.util.ArrayList<>();
        Map<String, Object> result = new Trainer(config(dir, 2, 0.05), QUIET).listener(e -> {
            events.add(e);
            if (e instanceof TrainEvent.CheckpointWritten c) {
                checkpointOnDisk.add(Files.exists(c.file()));
            }
        }).run(false);
        assertEquals(List.of(TrainEvent.EpochFinished.class, TrainEvent.CheckpointWritten.class,
                TrainEvent.EpochFinished.class, TrainEvent.CheckpointWritten.class, TrainEvent.Finished.class),
                events.stream().map(Object::getClass).toList());
        assertEquals(List.of(true, true), checkpointOnDisk);
        List<Map<String, Object>> metrics = new RunDirectory(dir).readMetrics();
        for (int e = 0; e < 2; e++) {
            TrainEvent.EpochFinished f = (TrainEvent.EpochFinished) events.get(2 * e);
            assertEquals(e + 1, f.epoch());
            assertEquals(2, f.epochs());
            assertEquals(((Number) metrics.get(e).get("test_accuracy")).doubleValue(), f.testAccuracy(), 0);
            assertEquals(((Number) metrics.get(e).get("train_loss")).doubleValue(), f.trainLoss(), 0);
            assertEquals(metrics.get(e).get("epoch"), f.fields().get("epoch"));
            assertEquals(e + 1, ((TrainEvent.CheckpointWritten) events.get(2 * e + 1)).epoch());
        }
        TrainEvent.Finished end = (TrainEvent.Finished) events.getLast();
        assertEquals((Double) result.get("test_accuracy"), end.testAccuracy(), 0);
        assertEquals((Long) result.get("params"), end.params());
        assertEquals((Long) result.get("macs"), end.macs());
        assertEquals(result, end.fields());
    }

    @Test
    void resumeAfterKillReachesTheSameResult(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full"), killed = tmp.resolve("killed");
        new Trainer(config(full, 3, 0.05), QUIET).run(false);
        // A separate JVM trains the same configuration and is killed (SIGKILL) once its first
        // checkpoint exists, i.e. somewhere inside epoch 2 or 3.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Darchway.native.dir=" + System.getProperty("archway.native.dir"),
                "-Darchway.repo.root=" + System.getProperty("archway.repo.root"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--arch", ARCH,
                "--epochs", "3", "--channels", "4", "--cells", "1", "--batch", "32", "--seed", "7", "--threads", "2",
                "--lr", "0.05", "--train-limit", "320", "--out", killed.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path ck = killed.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(ck) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(ck), "child never wrote a checkpoint: " + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly().waitFor();
        // The child must really have been interrupted: it writes result.json only when it completes.
        assertTrue(!Files.exists(killed.resolve("result.json")), "the child finished before it was killed");
        new Trainer(config(killed, 3, 0.05), QUIET).run(true);
        assertEquals(deterministic(full), deterministic(killed));
        Map<?, ?> r1 = RunDirectory.JSON.readValue(full.resolve("result.json").toFile(), Map.class);
        Map<?, ?> r2 = RunDirectory.JSON.readValue(killed.resolve("result.json").toFile(), Map.class);
        assertEquals(r1.get("test_accuracy"), r2.get("test_accuracy"));
        assertEquals(r1.get("test_loss"), r2.get("test_loss"));
    }

    @Test
    void divergenceStopsWithEpochAndStep(@TempDir Path tmp) {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(config(tmp.resolve("nan"), 1, 1e9), QUIET).run(false));
        assertTrue(e.getMessage().matches(".*epoch 1, step \\d+.*"), e.getMessage());
        int rc = Main.run("train", "--arch", ARCH, "--epochs", "1", "--channels", "4", "--cells", "1", "--batch", "32",
                "--lr", "1e9", "--train-limit", "320", "--threads", "2", "--out", tmp.resolve("cli").toString());
        assertEquals(2, rc);
    }

    @Test
    void badArchitectureIsOneLineUserError(@TempDir Path tmp) {
        assertEquals(2, Main.run("train", "--arch", "bogus", "--out", tmp.toString()));
        assertEquals(2, Main.run("train", "--space", "darts", "--genotype", "Genotype(normal=[", "--out", tmp.toString()));
        assertEquals(2, Main.run("train", "--arch", ARCH, "--epochs", "0", "--out", tmp.toString()));
    }

    @Test
    void resumeWithDifferentConfigurationIsRefused(@TempDir Path tmp) {
        new Trainer(config(tmp, 1, 0.05), QUIET).run(false);
        assertThrows(archway.UserError.class, () -> new Trainer(config(tmp, 1, 0.07), QUIET).run(true));
        assertTrue(new File(tmp.toFile(), "checkpoint.bin").exists());
    }
}
