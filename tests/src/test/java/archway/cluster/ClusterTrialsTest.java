package archway.cluster;

import static archway.cluster.ClusterProcesses.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.UserError;
import archway.cli.Main;
import archway.flatnas.SyntheticFlatnas;
import archway.run.RunDirectory;
import archway.train.LrSteps;
import archway.train.TrainAugmentation;
import archway.train.TrainConfig;
import archway.trial.LocalTrialRunner;
import archway.trial.TrainTrial;
import archway.trial.TrialArchive;
import archway.trial.TrialProblems;
import archway.trial.TrialResult;
import archway.trial.TrialSpec;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials on a real cluster: two worker JVMs on 127.0.0.1 and a coordinator. A small FlatNAS search (synthetic
 * trials) runs through the cluster; one worker is killed (SIGKILL) mid-trial, a trial fails on every attempt, the
 * coordinator is killed mid-run and resumed; results and archives must equal those of the same runs on this
 * machine, and members without the secret must be refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ClusterTrialsTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static final String ARCH = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    static final String[] RECIPE = {"--arch", ARCH, "--epochs", "1", "--channels", "4", "--cells", "1", "--batch", "16",
            "--threads", "1", "--train-limit", "192"};

    @TempDir
    static Path tmp;
    final String name = "archway-test-" + UUID.randomUUID();
    int port1, port2;
    Process worker1, worker2;
    Path log1, log2;
    /** The trials of every test: seeds 1..4 of one recipe (as nas retrain builds them) plus one that always fails. */
    List<TrialSpec> trials;
    TrialSpec failing;
    Map<String, TrialResult> local;

    /** The spec nas retrain builds from RECIPE for {@code seed}. */
    static TrialSpec spec(String arch, long seed) {
        return TrainTrial.spec(new TrainConfig("nb201", arch, "fashion-mnist-mini", null, 1, 4, 1, 16, seed, 1, 0.1, 0, 0.9,
                5e-4, true, 5, 192, Path.of("unused"), TrainAugmentation.AUTO, LrSteps.STEP));
    }

    @BeforeAll
    void startWorkers() throws Exception {
        port1 = ClusterProcesses.freePort();
        port2 = ClusterProcesses.freePort();
        log1 = tmp.resolve("worker1.log");
        log2 = tmp.resolve("worker2.log");
        worker1 = ClusterProcesses.start(log1, SECRET, "worker", "--join", "127.0.0.1:" + port1, "--port",
                Integer.toString(port1), "--cluster-name", name);
        ClusterProcesses.awaitWorker(worker1, log1);
        worker2 = ClusterProcesses.start(log2, SECRET, "worker", "--join", "127.0.0.1:" + port1, "--port",
                Integer.toString(port2), "--cluster-name", name);
        trials = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            trials.add(spec(ARCH, seed));
        }
        failing = spec("not-an-architecture", 1);
        trials.add(failing);
        // The single-machine reference, computed while worker 2 starts.
        try (LocalTrialRunner here = new LocalTrialRunner(TrialProblems.builtIn(), 1)) {
            local = here.runAll(trials).stream().collect(Collectors.toMap(TrialResult::id, r -> r));
        }
        ClusterProcesses.awaitWorker(worker2, log2);
    }

    @AfterAll
    void stopWorkers() throws Exception {
        ClusterProcesses.kill(worker1);
        ClusterProcesses.kill(worker2);
    }

    ClusterOptions options(String secret) throws Exception {
        return ClusterOptions.of(new ClusterAddress("127.0.0.1", port1), "127.0.0.1", ClusterProcesses.freePort(), name,
                secret);
    }

    @Test
    @Order(1)
    void membersWithoutTheSecretAreRefused() throws Exception {
        // A worker JVM with a wrong secret: the master refuses its join request and it exits with one error line.
        Path log = tmp.resolve("intruder.log");
        Process intruder = ClusterProcesses.start(log, "wrong-secret-123", "worker", "--join", "127.0.0.1:" + port1,
                "--port", Integer.toString(ClusterProcesses.freePort()), "--cluster-name", name);
        assertTrue(intruder.waitFor(ClusterProcesses.START_SECONDS, TimeUnit.SECONDS), "the intruder was not refused");
        String out = Files.readString(log);
        assertEquals(2, intruder.exitValue(), out);
        assertTrue(out.contains("error: could not join the cluster at 127.0.0.1:" + port1 + ": refused member"), out);
        assertTrue(out.contains("it does not present the cluster secret"), out);
        assertFalse(out.contains("\tat "), "a refused member prints one error line, no stack trace:\n" + out);
        assertFalse(out.contains("waiting for trials"), out);

        // A plain Hazelcast member (right cluster name, no proof at all) is refused the same way.
        Config plain = ClusterMembers.config(options(SECRET), ClusterRole.WORKER);
        plain.getMemberAttributeConfig().setAttributes(Map.of());
        assertThrows(RuntimeException.class, () -> Hazelcast.newHazelcastInstance(plain).shutdown());

        // No client protocol listens: a Hazelcast client with the right cluster name gets no connection.
        ClientConfig cc = new ClientConfig().setClusterName(name);
        cc.setProperty("hazelcast.logging.type", "none");
        cc.getNetworkConfig().addAddress("127.0.0.1:" + port1);
        cc.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
        assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(cc).shutdown());

        // The workers were not disturbed: a coordinator with the secret finds both.
        try (ClusterTrialRunner ok = new ClusterTrialRunner(options(SECRET), QUIET)) {
            assertTrue(ok.workerCount() >= 2, "workers: " + ok.workerCount());
        }
        UserError wrongSecret = assertThrows(UserError.class,
                () -> new ClusterTrialRunner(options("another-wrong-secret"), QUIET).close());
        assertTrue(wrongSecret.getMessage().contains("could not join"), wrongSecret.getMessage());
    }

    @Test
    @Order(2)
    void aSmallFlatnasSearchGivesTheSameArchiveAndFrontOnTheClusterAsOnOneMachine() throws Exception {
        Map<String, Object> here;
        try (LocalTrialRunner local = new LocalTrialRunner(TrialProblems.builtIn(), 1)) {
            here = SyntheticFlatnas.run(local, tmp.resolve("flatnas-here"), 1, QUIET);
        }
        Map<String, Object> there;
        ByteArrayLog progress = new ByteArrayLog();
        try (ClusterTrialRunner cluster = new ClusterTrialRunner(options(SECRET), progress.stream())) {
            there = SyntheticFlatnas.run(cluster, tmp.resolve("flatnas-there"), 1, QUIET);
        }
        assertEquals(12 + 3, ((List<?>) here.get("archive")).size());
        assertEquals(json(here.get("archive")), json(there.get("archive")));
        assertEquals(json(here.get("front")), json(there.get("front")));
        assertEquals(json(here.get("history")), json(there.get("history")));
        // the run was on the cluster: both workers were in it, and the trials ran there
        String text = progress.text();
        assertTrue(text.contains("127.0.0.1:" + port1 + " (1 slot)") && text.contains("127.0.0.1:" + port2 + " (1 slot)")
                && text.contains("12/12 done") && text.contains("3/3 done"), text);
    }

    @Test
    @Order(3)
    void aKilledWorkerLosesNothingAndTheOutcomesEqualTheLocalRun() throws Exception {
        ByteArrayLog progress = new ByteArrayLog();
        int linesBefore = ClusterProcesses.lines(log2).size();
        CompletableFuture<List<TrialResult>> run;
        String killedTrial;
        try (ClusterTrialRunner cluster = new ClusterTrialRunner(options(SECRET), progress.stream(),
                Duration.ofSeconds(30), Duration.ofSeconds(60))) {
            List<TrialResult> reported = new ArrayList<>();
            run = CompletableFuture.supplyAsync(() -> cluster.runAll(trials, reported::add));
            // kill -9 worker 2 as soon as it starts one of these trials
            String started = ClusterProcesses.awaitLine(worker2, log2, linesBefore, l -> l.contains(" start "), 300);
            ClusterProcesses.kill(worker2);
            assertNotNull(started, "worker 2 never started a trial: " + Files.readString(log2));
            killedTrial = started.replaceAll(".*trial (\\w+) start.*", "$1");
            List<TrialResult> results = run.get(10, TimeUnit.MINUTES);
            assertEquals(trials.size(), reported.size(), "each trial is reported exactly once");
            // Same results as on one machine (metrics, status and error), in the order submitted.
            assertEquals(trials.stream().map(s -> local.get(s.id())).toList(), results);
        }
        // The killed worker never finished its trial; the other worker ran it.
        assertFalse(ClusterProcesses.lines(log2).stream().anyMatch(l -> l.contains(killedTrial + " done")),
                "worker 2 finished its trial before it was killed");
        assertTrue(ClusterProcesses.lines(log1).stream().anyMatch(l -> l.contains(killedTrial + " done")),
                Files.readString(log1));
        // The failing trial is given up after three attempts that failed the same way, with its error.
        TrialResult failed = local.get(failing.id());
        assertFalse(failed.ok());
        String text = progress.text();
        assertTrue(text.contains("trial " + failing.id() + " failed on 3 attempts, given up: " + failed.error()), text);
        assertTrue(text.contains("queued again: worker 127.0.0.1:" + port2), text);
    }

    @Test
    @Order(4)
    void aKilledCoordinatorResumesWithoutRerunningArchivedTrials() throws Exception {
        Path out = tmp.resolve("retrain");
        List<String> args = new ArrayList<>(List.of("retrain", "--seeds", "1,2,3,4", "--out", out.toString(),
                "--cluster", "127.0.0.1:" + port1, "--cluster-port", Integer.toString(ClusterProcesses.freePort()),
                "--cluster-name", name));
        args.addAll(List.of(RECIPE));
        Path log = tmp.resolve("coordinator.log");
        Process coordinator = ClusterProcesses.start(log, SECRET, args.toArray(String[]::new));
        Path archiveFile = out.resolve("trials.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (coordinator.isAlive() && System.nanoTime() < deadline
                && !(Files.exists(archiveFile) && Files.readString(archiveFile).contains("\n"))) {
            Thread.sleep(20);
        }
        ClusterProcesses.kill(coordinator);
        assertFalse(Files.exists(out.resolve("result.json")), "the coordinator finished before it was killed: "
                + Files.readString(log));
        Map<String, TrialResult> archived = new TrialArchive(archiveFile).read();
        assertTrue(!archived.isEmpty() && archived.size() < 4, "archive at the kill: " + archived.keySet() + "\n"
                + Files.readString(log));
        long startsBefore = starts(archived);

        args.addAll(List.of("--resume", "--cluster-secret", SECRET)); // this JVM has no $ARCHWAY_CLUSTER_SECRET
        PrintStream err = System.err;
        ByteArrayLog resumed = new ByteArrayLog();
        int code;
        try {
            System.setErr(resumed.stream());
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        assertEquals(0, code, resumed.text());
        assertTrue(resumed.text().contains(archived.size() + " already in the archive, " + (4 - archived.size())
                + " to run"), resumed.text());
        assertEquals(startsBefore, starts(archived), "an archived trial ran again after --resume");
        Map<String, TrialResult> all = new TrialArchive(archiveFile).read();
        assertEquals(4, all.size());
        for (TrialResult r : all.values()) {
            assertNotNull(local.get(r.id()), r.id());
            assertEquals(local.get(r.id()), r, "trial " + r.id() + " differs from the local run");
        }
        // The run's page: every seed's row, the mean over them, the shared recipe once.
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("finished: 4 of 4 seeds trained") && html.contains("<h2>Per seed</h2>"), html);
        assertEquals(5, html.substring(html.indexOf("<h2>Per seed</h2>"), html.indexOf("<h2>Configuration</h2>"))
                .split("<tr>", -1).length - 1, "a header and four seeds");
        assertTrue(html.contains("test accuracy (mean over seeds)") && html.contains("1, 2, 3, 4"), html);
    }

    private static String json(Object value) {
        return RunDirectory.toJson(value);
    }

    /** Trial starts logged by the workers for the given trials. */
    private long starts(Map<String, TrialResult> ids) throws Exception {
        List<String> all = new ArrayList<>(ClusterProcesses.lines(log1));
        all.addAll(ClusterProcesses.lines(log2));
        return all.stream().filter(l -> l.contains(" start ") && ids.keySet().stream().anyMatch(l::contains)).count();
    }

    /** A PrintStream whose text can be read back (thread-safe). */
    static final class ByteArrayLog {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
