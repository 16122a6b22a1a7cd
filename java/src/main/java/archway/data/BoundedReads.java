package archway.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reading untrusted files without trusting their headers: every read is capped at the size the header
 * promised, buffers grow only as real bytes arrive, and every failure becomes a
 * {@link DataFormatException} naming the file.
 */
final class BoundedReads {
    /** Largest Java byte array we will build. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Deflate cannot expand more than about 1032:1; anything claiming more is corrupt or a bomb. */
    static final long MAX_DEFLATE_RATIO = 1032;
    private static final int FIRST_CHUNK = 1 << 20;

    private BoundedReads() {
    }

    static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    /** Opens a file, transparently gunzipping {@code *.gz}. */
    static InputStream open(Path file) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            throw fail(file, e);
        }
    }

    static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw fail(file, e);
        }
    }

    /**
     * The most payload bytes {@code file} can hold: its length, or for gzip its length times the deflate
     * expansion limit. Checked before any allocation sized by a header.
     */
    static long maxPayload(Path file) {
        long size = fileSize(file);
        return isGzip(file) ? size * MAX_DEFLATE_RATIO : size;
    }

    /** Reads as many bytes as are there, up to n; returns how many were read. */
    static int readUpTo(InputStream in, byte[] buf, int off, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int r = in.read(buf, off + done, n - done);
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /**
     * Reads exactly {@code expected} bytes. The buffer starts small and doubles only as data arrives, so a
     * header that lies about its size costs at most twice the bytes actually present.
     *
     * @param what describes the expected content for the truncation message, e.g. "60000 images of 28x28"
     */
    static byte[] readExactly(InputStream in, long expected, Path file, String what) {
        if (expected < 0 || expected > MAX_ARRAY) {
            throw new DataFormatException(file + ": header says " + what + " (" + expected
                    + " bytes), more than Archway can hold in memory");
        }
        int want = (int) expected;
        byte[] buf = new byte[Math.min(want, FIRST_CHUNK)];
        int have = 0;
        try {
            while (have < want) {
                if (have == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(want, 2L * buf.length));
                }
                int r = in.read(buf, have, buf.length - have);
                if (r < 0) {
                    break;
                }
                have += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream reports a cut-off stream this way; fall through to the truncation message.
        } catch (IOException e) {
            throw fail(file, e);
        }
        if (have < want) {
            throw new DataFormatException(file + ": truncated: header says " + what + " (" + expected
                    + " bytes of data) but only " + have + " bytes follow");
        }
        return buf;
    }

    /** Requires the stream to be at its end: extra bytes mean the header's counts disagree with the file. */
    static void expectEnd(InputStream in, Path file, String what) {
        try {
            if (in.read() >= 0) {
                throw new DataFormatException(file + ": counts disagree with file length: header says " + what
                        + " but the file holds more data");
            }
        } catch (EOFException e) {
            throw new DataFormatException(file + ": truncated: the gzip stream is cut off after the data");
        } catch (IOException e) {
            throw fail(file, e);
        }
    }

    /** Turns an I/O failure into one line naming the file. */
    static DataFormatException fail(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataFormatException(file + ": no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataFormatException(file + ": permission denied", e);
        }
        if (e instanceof EOFException) {
            return new DataFormatException(file + ": truncated (unexpected end of " + (isGzip(file) ? "gzip " : "")
                    + "data)", e);
        }
        if (e instanceof ZipException) {
            return new DataFormatException(file + ": corrupt compressed data (" + e.getMessage() + ")", e);
        }
        return new DataFormatException(file + ": cannot read (" + e + ")", e);
    }
}
