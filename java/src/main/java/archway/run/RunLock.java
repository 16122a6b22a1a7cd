package archway.run;

import archway.UserError;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock of a run directory for the life of a run: an operating-system lock
 * ({@link FileChannel#tryLock}) on {@code run.lock}, which also holds the holder's pid, host and start time.
 * The OS drops the lock when the process ends in any way (kill -9 included). A clean release empties the
 * file, so a file that still names a holder while nobody holds the lock was left by a run that was killed
 * or crashed: that is reported, and the lock taken over.
 *
 * <p>POSIX record locks belong to the process and closing any descriptor of the file drops them, so
 * within one JVM the lock file is only ever opened once: a second acquisition in the same process is
 * refused from an in-memory registry before the file is touched.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "run.lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (which must exist) for this process. A directory locked by a live run is a
     * {@link UserError} naming the holder; a lock left by a dead run is reported on {@code log} and taken over.
     */
    public static RunLock acquire(Path dir, PrintStream log) throws IOException {
        Path key = dir.toRealPath().resolve(FILE);
        String self = describe(holderInfo());
        String other = HELD_HERE.putIfAbsent(key, self);
        if (other != null) {
            throw new UserError("run directory " + dir + " is in use by another run of this process (" + other
                    + "); wait for it to finish or choose another --out");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = contents(ch);
                throw new UserError("run directory " + dir + " is in use by another run ("
                        + (holder.isBlank() ? "holder not yet recorded" : describe(holder))
                        + "); wait for it to finish or choose another --out");
            }
            String previous = contents(ch);
            if (!previous.isBlank()) {
                log.printf("note: stale lock %s: the run that held it (%s) ended without releasing it (killed or "
                        + "crashed); taking it over%n", key, describe(previous));
            }
            ch.truncate(0);
            ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(holderInfo()) + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
            ch.force(true);
            return new RunLock(key, ch, lock);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(key);
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    /** Empties the lock file (a clean release) and drops the OS lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            channel.force(true);
        } catch (IOException e) {
            // The OS lock is what matters; an unreleased file only causes a "stale lock" note later.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the descriptor drops the lock in any case.
        } finally {
            HELD_HERE.remove(key);
        }
    }

    private static Map<String, Object> holderInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        m.put("host", hostName());
        m.put("started", START.toString());
        return m;
    }

    private static final Instant START = Instant.ofEpochMilli(
            ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis()));

    /** "pid 123 on host h, started 2026-...": the holder as a person reads it. */
    @SuppressWarnings("unchecked")
    private static String describe(Object holder) {
        Map<String, Object> m;
        if (holder instanceof Map<?, ?> map) {
            m = (Map<String, Object>) map;
        } else {
            try {
                m = JSON.readValue((String) holder, Map.class);
            } catch (IOException e) {
                return "unreadable lock record";
            }
        }
        return "pid " + m.get("pid") + " on host " + m.get("host") + ", started " + m.get("started");
    }

    private static String contents(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
            // positional reads until full
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env : "unknown";
    }
}
