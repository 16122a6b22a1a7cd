package archway.cluster;

import static archway.cluster.ClusterProcesses.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import archway.trial.TrialArchive;
import archway.trial.TrialResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nas search --algo flatnas --cluster}: real FlatNAS trials (tiny budgets) on two worker JVMs, with a
 * coordinator JVM. One worker is killed (SIGKILL) mid-trial: the search completes with the archive and front of the
 * single-machine run. A coordinator killed mid-search resumes with --resume without running archived trials again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class FlatnasClusterTest {
    /** 4 initial candidates and one iteration of 2, each trained on 32 images; corruption benchmark in every trial. */
    static final String[] SEARCH = {"search", "--algo", "flatnas", "--space", "mbv3", "--params-max", "3000000",
            "--initial", "4", "--iterations", "1", "--candidates", "2", "--trial-epochs", "1", "--train-limit", "32",
            "--batch", "16", "--test-limit", "32", "--flatness-draws", "1", "--ood-members", "all", "--ood-limit", "2",
            "--threads", "1"};

    @TempDir
    static Path tmp;
    final String name = "archway-flatnas-test-" + UUID.randomUUID();
    final List<Process> started = new ArrayList<>();

    @AfterAll
    void stopAll() throws Exception {
        for (Process p : started) {
            ClusterProcesses.kill(p);
        }
    }

    static String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of(SEARCH));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    Process start(Path log, String... args) throws Exception {
        Process p = ClusterProcesses.start(log, SECRET, args);
        started.add(p);
        return p;
    }

    @Test
    void aKilledWorkerAndAKilledCoordinatorLeaveTheArchiveOfTheSingleMachineRun() throws Exception {
        // The single-machine run, in this JVM.
        Path here = tmp.resolve("here");
        CliRun local = CliRun.of(args("--out", here.toString()));
        assertEquals(0, local.code(), local.err());
        JsonNode reference = new ObjectMapper().readTree(here.resolve("result.json").toFile());
        assertEquals(6, reference.get("archive").size(), local.err());

        int port1 = ClusterProcesses.freePort();
        int port2 = ClusterProcesses.freePort();
        Path log1 = tmp.resolve("worker1.log");
        Path log2 = tmp.resolve("worker2.log");
        Process worker1 = start(log1, "worker", "--join", "127.0.0.1:" + port1, "--port", Integer.toString(port1),
                "--cluster-name", name);
        ClusterProcesses.awaitWorker(worker1, log1);
        Process worker2 = start(log2, "worker", "--join", "127.0.0.1:" + port1, "--port", Integer.toString(port2),
                "--cluster-name", name);
        ClusterProcesses.awaitWorker(worker2, log2);
        String[] cluster = {"--cluster", "127.0.0.1:" + port1, "--cluster-name", name};

        // A coordinator JVM; worker 2 is killed as soon as it starts a trial.
        Path there = tmp.resolve("there");
        Path coordinatorLog = tmp.resolve("coordinator.log");
        List<String> coordinatorArgs = new ArrayList<>(List.of(args("--out", there.toString(), "--cluster-port",
                Integer.toString(ClusterProcesses.freePort()))));
        coordinatorArgs.addAll(List.of(cluster));
        Process coordinator = start(coordinatorLog, coordinatorArgs.toArray(String[]::new));
        String startedLine = ClusterProcesses.awaitLine(worker2, log2, 0, l -> l.contains(" start "), 300);
        ClusterProcesses.kill(worker2);
        assertNotNull(startedLine, "worker 2 never started a trial: " + Files.readString(log2));
        String killedTrial = startedLine.replaceAll(".*trial (\\w+) start.*", "$1");
        assertTrue(coordinator.waitFor(10, TimeUnit.MINUTES), "the coordinator did not finish");
        assertEquals(0, coordinator.exitValue(), Files.readString(coordinatorLog));
        JsonNode onCluster = new ObjectMapper().readTree(there.resolve("result.json").toFile());
        assertEquals(reference.get("archive"), onCluster.get("archive"));
        assertEquals(reference.get("front"), onCluster.get("front"));
        assertFalse(ClusterProcesses.lines(log2).stream().anyMatch(l -> l.contains(killedTrial + " done")),
                "worker 2 finished its trial before it was killed");
        assertTrue(ClusterProcesses.lines(log1).stream().anyMatch(l -> l.contains(killedTrial + " done")),
                Files.readString(log1));
        String progress = Files.readString(coordinatorLog);
        assertTrue(progress.contains("queued again: worker 127.0.0.1:" + port2), progress);
        assertTrue(progress.contains("127.0.0.1:" + port1 + " (1 slot)") && progress.contains("done"), progress);

        // A coordinator killed after its first archived trial; --resume (in this JVM) runs only the others.
        Path resumed = tmp.resolve("resumed");
        Path log3 = tmp.resolve("coordinator2.log");
        List<String> again = new ArrayList<>(List.of(args("--out", resumed.toString(), "--cluster-port",
                Integer.toString(ClusterProcesses.freePort()))));
        again.addAll(List.of(cluster));
        Process second = start(log3, again.toArray(String[]::new));
        Path trials = resumed.resolve("trials.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (second.isAlive() && System.nanoTime() < deadline
                && !(Files.exists(trials) && Files.readString(trials).contains("\n"))) {
            Thread.sleep(20);
        }
        ClusterProcesses.kill(second);
        assertFalse(Files.exists(resumed.resolve("result.json")), "finished before the kill: " + Files.readString(log3));
        Map<String, TrialResult> archived = new TrialArchive(trials).read();
        assertTrue(!archived.isEmpty() && archived.size() < 6, archived.keySet() + "\n" + Files.readString(log3));
        long startsBefore = starts(archived, log1);

        List<String> resume = new ArrayList<>(again);
        resume.addAll(List.of("--resume", "--cluster-secret", SECRET)); // this JVM has no $ARCHWAY_CLUSTER_SECRET
        resume.set(resume.indexOf("--cluster-port") + 1, Integer.toString(ClusterProcesses.freePort()));
        CliRun rerun = CliRun.of(resume.toArray(String[]::new));
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.err().contains("resuming"), rerun.err());
        assertEquals(startsBefore, starts(archived, log1), "an archived trial ran again after --resume");
        JsonNode afterResume = new ObjectMapper().readTree(resumed.resolve("result.json").toFile());
        assertEquals(reference.get("archive"), afterResume.get("archive"));
        assertEquals(reference.get("front"), afterResume.get("front"));
    }

    /** Trial starts logged by a worker for the given trials. */
    private static long starts(Map<String, TrialResult> ids, Path log) throws Exception {
        return ClusterProcesses.lines(log).stream()
                .filter(l -> l.contains(" start ") && ids.keySet().stream().anyMatch(l::contains)).count();
    }
}
