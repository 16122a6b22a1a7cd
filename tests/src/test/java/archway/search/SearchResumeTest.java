package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import archway.run.RunDirectory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search killed after its first checkpoint and resumed ends with the same alphas and genotype. */
class SearchResumeTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static final List<String> DETERMINISTIC = List.of("epoch", "train_loss", "val_loss", "genotype", "probabilities");

    static SearchConfig config(Path out) {
        return SearchConfig.defaults("nb201", "darts", "darts", "fashion-mnist-mini", out).withSize(3, 4, 1, 16)
                .withSeed(3, 2);
    }

    @Test
    void resumeAfterKillGivesTheSameGenotypeAndAlphas(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full"), killed = tmp.resolve("killed");
        Map<String, Object> a = new DartsSearch(config(full), QUIET).trainLimit(384).run(false);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Darchway.native.dir=" + System.getProperty("archway.native.dir"),
                "-Darchway.repo.root=" + System.getProperty("archway.repo.root"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "search", "--epochs", "3",
                "--channels", "4", "--cells", "1", "--batch", "16", "--seed", "3", "--threads", "2",
                "--train-limit", "384", "--out", killed.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path ck = killed.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(ck) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(ck), "child never wrote a checkpoint: " + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly().waitFor();
        // The child must really have been interrupted: it writes result.json only when it completes.
        assertTrue(!Files.exists(killed.resolve("result.json")), "the child finished before it was killed");
        Map<String, Object> b = new DartsSearch(config(killed), QUIET).trainLimit(384).run(true);
        assertEquals(a.get("genotype"), b.get("genotype"));
        assertEquals(a.get("alpha"), b.get("alpha"));
        assertEquals(a.get("genotype_best_val_loss"), b.get("genotype_best_val_loss"));
        List<Map<String, Object>> ma = new RunDirectory(full).readMetrics(), mb = new RunDirectory(killed).readMetrics();
        ma.forEach(r -> r.keySet().retainAll(DETERMINISTIC));
        mb.forEach(r -> r.keySet().retainAll(DETERMINISTIC));
        assertEquals(ma, mb);
        assertEquals(3, ma.size());
    }
}
