package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import archway.run.RunDirectory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ZO-DARTS+ search killed after its first checkpoint and resumed ends exactly like an uninterrupted one. */
class ZoResumeTest {
    static final List<String> DETERMINISTIC = List.of("epoch", "temperature", "train_loss", "val_loss", "genotype",
            "probabilities", "zero_mixing_weights");

    static List<String> args(Path out, boolean resume) {
        List<String> a = new ArrayList<>(List.of("search", "--algo", "zo-darts-plus", "--dataset", "fashion-mnist-mini",
                "--channels", "4", "--cells", "1", "--batch", "16", "--epochs", "3", "--threads", "2", "--seed", "4",
                "--zo-max-steps", "10", "--zo-interval", "5", "--temp-every", "1", "--out", out.toString()));
        if (resume) {
            a.add("--resume");
        }
        return a;
    }

    static int quiet(List<String> args) {
        PrintStream err = System.err, out = System.out;
        try {
            System.setErr(new PrintStream(OutputStream.nullOutputStream()));
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            return Main.run(args.toArray(new String[0]));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    @Test
    void resumeAfterKillMatchesAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full"), killed = tmp.resolve("killed");
        assertEquals(0, quiet(args(full, false)));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Darchway.native.dir=" + System.getProperty("archway.native.dir"),
                "-Darchway.repo.root=" + System.getProperty("archway.repo.root"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(killed, false));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        Path ck = killed.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(ck) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(ck), "child never wrote a checkpoint: " + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly().waitFor();
        // The child must really have been interrupted: it writes result.json only when it completes.
        assertTrue(!Files.exists(killed.resolve("result.json")), "the child finished before it was killed");
        assertEquals(0, quiet(args(killed, true)));
        List<Map<String, Object>> a = new RunDirectory(full).readMetrics(), b = new RunDirectory(killed).readMetrics();
        a.forEach(r -> r.keySet().retainAll(DETERMINISTIC));
        b.forEach(r -> r.keySet().retainAll(DETERMINISTIC));
        assertEquals(3, a.size());
        assertEquals(a, b);
        Map<?, ?> ra = RunDirectory.JSON.readValue(full.resolve("result.json").toFile(), Map.class);
        Map<?, ?> rb = RunDirectory.JSON.readValue(killed.resolve("result.json").toFile(), Map.class);
        assertEquals(ra.get("genotype"), rb.get("genotype"));
    }
}
