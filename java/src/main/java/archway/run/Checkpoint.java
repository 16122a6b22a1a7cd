package archway.run;

import archway.data.DataFormatException;
import archway.runtime.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint: named binary sections (weights, optimiser state, alpha, progress JSON, config JSON).
 *
 * <p>Format (little endian): magic "ARCHWAY-CKPT", int32 version, int32 section count, then per section
 * int32 name length, UTF-8 name, int64 byte length, bytes. Written atomically: a temporary file in the
 * same directory, fsync, rename over the old one, so a kill at any moment leaves either the previous
 * or the new checkpoint. Reading checks every length against the file size before allocating.
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "ARCHWAY-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_SECTIONS = 4096;

    private final Map<String, byte[]> sections = new LinkedHashMap<>();

    public Checkpoint put(String name, byte[] bytes) {
        sections.put(name, bytes.clone());
        return this;
    }

    public Checkpoint putString(String name, String value) {
        return put(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies the first {@code floats} floats of a backend buffer into a section. */
    public Checkpoint putFloats(String name, Buffer buf, long floats) {
        byte[] b = new byte[Math.toIntExact(floats * Float.BYTES)];
        buf.readBytes(b);
        sections.put(name, b);
        return this;
    }

    public Checkpoint putDoubles(String name, double[] values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bb.putDouble(v);
        }
        sections.put(name, bb.array());
        return this;
    }

    public boolean has(String name) {
        return sections.containsKey(name);
    }

    public byte[] get(String name) {
        byte[] b = sections.get(name);
        if (b == null) {
            throw new DataFormatException("checkpoint has no section '" + name + "'");
        }
        return b;
    }

    public String getString(String name) {
        return new String(get(name), StandardCharsets.UTF_8);
    }

    /** Copies a section into a backend buffer; its length must be exactly {@code floats} floats. */
    public void getFloats(String name, Buffer dst, long floats) {
        byte[] b = get(name);
        if (b.length != floats * Float.BYTES) {
            throw new DataFormatException("checkpoint section '" + name + "' holds " + b.length / Float.BYTES
                    + " floats, the model needs " + floats + " (different architecture or size?)");
        }
        dst.writeBytes(b, b.length);
    }

    public double[] getDoubles(String name, int expected) {
        byte[] b = get(name);
        if (b.length != expected * 8) {
            throw new DataFormatException("checkpoint section '" + name + "' holds " + b.length / 8
                    + " doubles, expected " + expected);
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = bb.getDouble();
        }
        return out;
    }

    /** Writes atomically (temp file + fsync + rename). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(VERSION).putInt(sections.size()).flip();
            writeFully(ch, head);
            for (Map.Entry<String, byte[]> e : sections.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                ByteBuffer h = ByteBuffer.allocate(4 + name.length + 8).order(ByteOrder.LITTLE_ENDIAN);
                h.putInt(name.length).put(name).putLong(e.getValue().length).flip();
                writeFully(ch, h);
                writeFully(ch, ByteBuffer.wrap(e.getValue()));
            }
            ch.force(true);
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads a checkpoint, validating every header against the file length. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no checkpoint there");
        }
        long size = Files.size(file);
        Checkpoint c = new Checkpoint();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = readExactly(ch, MAGIC.length + 8, size, file, "header");
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new DataFormatException(file + ": not an Archway checkpoint (bad magic)");
            }
            int version = head.getInt();
            if (version != VERSION) {
                throw new DataFormatException(file + ": checkpoint version " + version + ", this build reads " + VERSION);
            }
            int count = head.getInt();
            if (count < 0 || count > MAX_SECTIONS) {
                throw new DataFormatException(file + ": implausible section count " + count);
            }
            for (int i = 0; i < count; i++) {
                int nameLen = readExactly(ch, 4, size, file, "section name length").getInt();
                if (nameLen < 1 || nameLen > 256) {
                    throw new DataFormatException(file + ": bad section name length " + nameLen);
                }
                byte[] name = new byte[nameLen];
                readExactly(ch, nameLen, size, file, "section name").get(name);
                long len = readExactly(ch, 8, size, file, "section length").getLong();
                if (len < 0 || len > size - ch.position() || len > Integer.MAX_VALUE - 16) {
                    throw new DataFormatException(file + ": section '" + new String(name, StandardCharsets.UTF_8)
                            + "' claims " + len + " bytes but the file is truncated");
                }
                byte[] data = new byte[(int) len];
                readExactly(ch, (int) len, size, file, "section data").get(data);
                c.sections.put(new String(name, StandardCharsets.UTF_8), data);
            }
        }
        return c;
    }

    private static ByteBuffer readExactly(FileChannel ch, int n, long size, Path file, String what) throws IOException {
        if (ch.position() + n > size) {
            throw new DataFormatException(file + ": truncated checkpoint (" + what + ")");
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new DataFormatException(file + ": truncated checkpoint (" + what + ")");
            }
        }
        return b.flip();
    }
}
