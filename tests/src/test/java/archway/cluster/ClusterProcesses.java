package archway.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Separate JVMs running the CLI (workers, coordinators) on 127.0.0.1 for the cluster tests. */
final class ClusterProcesses {
    static final String SECRET = "test-cluster-secret";
    static final long START_SECONDS = 180; // generous: CI machines may be loaded

    private ClusterProcesses() {
    }

    /** A port nobody listens on at the moment, on 127.0.0.1. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code nas args...} in a new JVM with output to {@code log}. */
    static Process start(Path log, String secret, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-Xmx512m",
                "-Darchway.native.dir=" + System.getProperty("archway.native.dir"),
                "-Darchway.repo.root=" + System.getProperty("archway.repo.root"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(ClusterOptions.SECRET_ENV);
        if (secret != null) {
            pb.environment().put(ClusterOptions.SECRET_ENV, secret);
        }
        return pb.start();
    }

    /** A worker joining the member at {@code joinPort} (its own port for the first one), listening on {@code port}. */
    static Process worker(Path log, String secret, int joinPort, int port, int slots) throws IOException {
        return start(log, secret, "worker", "--join", "127.0.0.1:" + joinPort, "--port", Integer.toString(port),
                "--slots", Integer.toString(slots));
    }

    /** Waits until some line of {@code log} matches, the process ends, or the time is up. */
    static boolean awaitLine(Process p, Path log, Predicate<String> line, long seconds) throws Exception {
        return awaitLine(p, log, 0, line, seconds) != null;
    }

    /** The first line from line {@code from} on that matches, waiting for it (null if the process ended or time is up). */
    static String awaitLine(Process p, Path log, int from, Predicate<String> line, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean alive = p.isAlive();
            List<String> all = lines(log);
            for (String l : all.subList(Math.min(from, all.size()), all.size())) {
                if (line.test(l)) {
                    return l;
                }
            }
            if (!alive || System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(20);
        }
    }

    static void awaitWorker(Process p, Path log) throws Exception {
        assertTrue(awaitLine(p, log, l -> l.contains("waiting for trials"), START_SECONDS),
                "worker did not start: " + Files.readString(log));
    }

    static List<String> lines(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Kills (SIGKILL) and reaps a process. */
    static void kill(Process p) throws InterruptedException {
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
