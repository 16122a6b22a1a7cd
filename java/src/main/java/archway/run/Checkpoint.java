package archway.run;

import archway.MemoryBudget;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A checkpoint: named binary sections (weights, optimiser state, alpha, progress, config JSON), each
 * with its own CRC32C, and a CRC32C over the whole file, so a damaged byte anywhere is an error that
 * names the section instead of a silent resume.
 *
 * <p>Format version 2 (little endian): magic "ARCHWAY-CKPT", int32 version, int32 section count; per
 * section int32 name length, UTF-8 name, int64 byte length, int32 CRC32C of the bytes, the bytes; then the
 * trailer "CKPT-END" and int32 CRC32C of every byte before the trailer. Float sections are streamed
 * between backend buffers and the file in 1 MiB chunks (no heap copy of all the weights), so a
 * checkpoint needs no more heap than its small sections. Version 1 files (no checksums) are refused.
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "ARCHWAY-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER = "CKPT-END".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    private static final int MAX_SECTIONS = 4096;
    private static final int MAX_NAME = 256;
    /** Sections up to this size are kept on the heap when read; larger ones are read from the file on demand. */
    private static final int INLINE_BYTES = 1 << 20;
    private static final int CHUNK = 1 << 20;

    /** A section's bytes: on the heap, in a backend buffer (to write), or in the file (read lazily). */
    private sealed interface Data permits Heap, Floats, InFile {
        long length();
    }

    private record Heap(byte[] bytes) implements Data {
        public long length() { return bytes.length; }
    }

    private record Floats(Buffer buf, long floats) implements Data {
        public long length() { return floats * Float.BYTES; }
    }

    private record InFile(Path file, long offset, long length, int crc) implements Data {
    }

    private final Map<String, Data> sections = new LinkedHashMap<>();

    public Checkpoint put(String name, byte[] bytes) {
        sections.put(checkName(name), new Heap(bytes.clone()));
        return this;
    }

    public Checkpoint putString(String name, String value) {
        return put(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A section of the first {@code floats} floats of a backend buffer, copied out chunk by chunk when
     * the checkpoint is written: the buffer must keep its contents until then.
     */
    public Checkpoint putFloats(String name, Buffer buf, long floats) {
        if (floats > buf.length()) {
            throw new IllegalArgumentException("section '" + name + "': " + floats + " floats of a buffer of " + buf.length());
        }
        sections.put(checkName(name), new Floats(buf, floats));
        return this;
    }

    public Checkpoint putDoubles(String name, double[] values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bb.putDouble(v);
        }
        sections.put(checkName(name), new Heap(bb.array()));
        return this;
    }

    private static String checkName(String name) {
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n < 1 || n > MAX_NAME) {
            throw new IllegalArgumentException("checkpoint section names have 1.." + MAX_NAME + " bytes: '" + name + "'");
        }
        return name;
    }

    public boolean has(String name) {
        return sections.containsKey(name);
    }

    /** The names of the sections in file order. */
    public java.util.List<String> names() {
        return java.util.List.copyOf(sections.keySet());
    }

    public byte[] get(String name) {
        Data d = section(name);
        if (d instanceof Heap h) {
            return h.bytes();
        }
        MemoryBudget.requireHeap(d.length(), "checkpoint section '" + name + "'");
        byte[] b = new byte[Math.toIntExact(d.length())];
        ByteBuffer out = ByteBuffer.wrap(b);
        forEachChunk(d, name, chunk -> out.put(chunk));
        return b;
    }

    private Data section(String name) {
        Data d = sections.get(name);
        if (d == null) {
            throw new DataFormatException("checkpoint has no section '" + name + "'");
        }
        return d;
    }

    public String getString(String name) {
        return new String(get(name), StandardCharsets.UTF_8);
    }

    /** Copies a section into a backend buffer; its length must be exactly {@code floats} floats. */
    public void getFloats(String name, Buffer dst, long floats) {
        Data d = section(name);
        if (d.length() != floats * Float.BYTES) {
            throw new DataFormatException("checkpoint section '" + name + "' holds " + d.length() / Float.BYTES
                    + " floats, the model needs " + floats + " (different architecture or size?)");
        }
        long[] at = {0};
        forEachChunk(d, name, chunk -> {
            int n = chunk.remaining();
            byte[] b = chunk.hasArray() && chunk.arrayOffset() == 0 && chunk.position() == 0 ? chunk.array() : toArray(chunk);
            dst.slice(at[0] / Float.BYTES, n / Float.BYTES).writeBytes(b, n);
            at[0] += n;
        });
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * Hands a section's bytes to {@code sink} in chunks of at most {@link #CHUNK} bytes (a multiple of 4),
     * each a buffer positioned at 0 that the sink must not keep. A section read from the file is checked
     * against its checksum again (the file may have changed since it was verified).
     */
    private static void forEachChunk(Data d, String name, java.util.function.Consumer<ByteBuffer> sink) {
        switch (d) {
            case Heap h -> {
                for (int off = 0; off < h.bytes().length; off += CHUNK) {
                    sink.accept(ByteBuffer.wrap(h.bytes(), off, Math.min(CHUNK, h.bytes().length - off)).slice());
                }
            }
            case Floats f -> {
                byte[] chunk = new byte[(int) Math.min(CHUNK, f.length())];
                for (long off = 0; off < f.length(); off += CHUNK) {
                    int n = (int) Math.min(CHUNK, f.length() - off);
                    byte[] b = n == chunk.length ? chunk : new byte[n];
                    f.buf().slice(off / Float.BYTES, n / Float.BYTES).readBytes(b);
                    sink.accept(ByteBuffer.wrap(b, 0, n));
                }
            }
            case InFile f -> readChunks(f, name, sink);
        }
    }

    public double[] getDoubles(String name, int expected) {
        byte[] b = get(name);
        if (b.length != expected * 8L) {
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

    /** Writes atomically: a temporary file in the same directory, fsync, rename over {@code file}. */
    public void write(Path file) throws IOException {
        Path tmp = writeTemporary(file);
        moveAtomically(tmp, file);
        RunFiles.syncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Writes the checkpoint to a new temporary file beside {@code file} and fsyncs it; returns its path.
     * On any failure the temporary file is removed and nothing else is touched.
     */
    Path writeTemporary(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C whole = new CRC32C();
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(VERSION).putInt(sections.size()).flip();
            writeFully(ch, head, whole);
            for (Map.Entry<String, Data> e : sections.entrySet()) {
                Data data = e.getValue();
                CRC32C sc = new CRC32C();
                forEachChunk(data, e.getKey(), sc::update);
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                ByteBuffer h = ByteBuffer.allocate(4 + name.length + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
                h.putInt(name.length).put(name).putLong(data.length()).putInt((int) sc.getValue()).flip();
                writeFully(ch, h, whole);
                try {
                    forEachChunk(data, e.getKey(), chunk -> {
                        try {
                            writeFully(ch, chunk, whole);
                        } catch (IOException x) {
                            throw new java.io.UncheckedIOException(x);
                        }
                    });
                } catch (java.io.UncheckedIOException x) {
                    throw x.getCause();
                }
            }
            ByteBuffer tail = ByteBuffer.allocate(TRAILER.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            tail.put(TRAILER).putInt((int) whole.getValue()).flip();
            writeFully(ch, tail, null);
            ch.force(true);
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        return tmp;
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, CRC32C whole) throws IOException {
        if (whole != null) {
            whole.update(b.duplicate());
        }
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Reads a checkpoint and verifies every section checksum and the file checksum before returning:
     * a mismatch is a {@link DataFormatException} naming the damaged section (or the header).
     */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no checkpoint there");
        }
        Checkpoint c = new Checkpoint();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader r = new Reader(ch, ch.size(), file);
            ByteBuffer head = r.read(MAGIC.length + 8, "header");
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataFormatException(file + ": not an Archway checkpoint (bad magic)");
            }
            int version = head.getInt();
            if (version == 1) {
                throw new DataFormatException(file + ": checkpoint format 1 (written by an older Archway, without "
                        + "checksums); this build reads format " + VERSION + " only: start the run again in a new --out");
            }
            if (version != VERSION) {
                throw new DataFormatException(file + ": checkpoint format " + version + ", this build reads " + VERSION
                        + " (damaged header or a newer Archway)");
            }
            int count = head.getInt();
            if (count < 0 || count > MAX_SECTIONS) {
                throw new DataFormatException(file + ": damaged header (implausible section count " + count + ")");
            }
            for (int i = 0; i < count; i++) {
                int nameLen = r.read(4, "section " + (i + 1) + " name length").getInt();
                if (nameLen < 1 || nameLen > MAX_NAME) {
                    throw new DataFormatException(file + ": damaged section table (section " + (i + 1)
                            + " has a name of " + nameLen + " bytes)");
                }
                byte[] nb = new byte[nameLen];
                r.read(nameLen, "section " + (i + 1) + " name").get(nb);
                String name = new String(nb, StandardCharsets.UTF_8);
                ByteBuffer lc = r.read(12, "section '" + name + "' length");
                long len = lc.getLong();
                int stored = lc.getInt();
                if (len < 0 || len > r.remaining()) {
                    throw new DataFormatException(file + ": section '" + name + "' claims " + len
                            + " bytes but only " + Math.max(0, r.remaining()) + " remain (truncated or damaged file)");
                }
                long offset = ch.position();
                CRC32C sc = new CRC32C();
                byte[] inline = len <= INLINE_BYTES ? new byte[(int) len] : null;
                r.stream(len, sc, inline);
                if ((int) sc.getValue() != stored) {
                    throw new DataFormatException(file + ": section '" + name + "' fails its checksum (stored "
                            + hex(stored) + ", computed " + hex((int) sc.getValue()) + "): the checkpoint is damaged");
                }
                c.sections.put(name, inline != null ? new Heap(inline) : new InFile(file, offset, len, stored));
            }
            int computed = (int) r.whole.getValue();
            ByteBuffer tail = r.read(TRAILER.length + 4, "trailer");
            byte[] t = new byte[TRAILER.length];
            tail.get(t);
            if (!Arrays.equals(t, TRAILER)) {
                throw new DataFormatException(file + ": damaged or truncated checkpoint (no trailer after the last section)");
            }
            int storedWhole = tail.getInt();
            if (storedWhole != computed) {
                throw new DataFormatException(file + ": the header or section table fails the file checksum (stored "
                        + hex(storedWhole) + ", computed " + hex(computed) + "): the checkpoint is damaged");
            }
            if (r.remaining() != 0) {
                throw new DataFormatException(file + ": " + r.remaining() + " unexpected bytes after the trailer");
            }
        }
        return c;
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    /** Streams a verified section from its file in chunks, re-checking its checksum at the end. */
    private static void readChunks(InFile f, String name, java.util.function.Consumer<ByteBuffer> sink) {
        CRC32C c = new CRC32C();
        byte[] chunk = new byte[(int) Math.min(CHUNK, f.length())];
        try (FileChannel ch = FileChannel.open(f.file(), StandardOpenOption.READ)) {
            for (long done = 0; done < f.length(); ) {
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) Math.min(CHUNK, f.length() - done));
                while (b.hasRemaining()) {
                    if (ch.read(b, f.offset() + done + b.position()) < 0) {
                        throw new DataFormatException(f.file() + ": section '" + name + "' was truncated after it was verified");
                    }
                }
                b.flip();
                c.update(b.duplicate());
                sink.accept(b);
                done += b.limit();
            }
        } catch (IOException e) {
            throw new RunIoError(f.file(), "cannot read checkpoint section '" + name + "' of", e);
        }
        if ((int) c.getValue() != f.crc()) {
            throw new DataFormatException(f.file() + ": section '" + name + "' fails its checksum: the checkpoint "
                    + "changed after it was verified");
        }
    }

    /** Sequential reads with bounds checks against the file size and a running whole-file CRC. */
    private static final class Reader {
        final FileChannel ch;
        final long size;
        final Path file;
        final CRC32C whole = new CRC32C();
        final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);

        Reader(FileChannel ch, long size, Path file) {
            this.ch = ch;
            this.size = size;
            this.file = file;
        }

        long remaining() throws IOException {
            return size - ch.position();
        }

        ByteBuffer read(int n, String what) throws IOException {
            if (remaining() < n) {
                throw new DataFormatException(file + ": truncated checkpoint (" + what + ")");
            }
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new DataFormatException(file + ": truncated checkpoint (" + what + ")");
                }
            }
            b.flip();
            whole.update(b.duplicate());
            return b;
        }

        /** Streams {@code n} bytes through both checksums, keeping them in {@code keep} when not null. */
        void stream(long n, CRC32C section, byte[] keep) throws IOException {
            long done = 0;
            while (done < n) {
                buf.clear().limit((int) Math.min(buf.capacity(), n - done));
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new DataFormatException(file + ": truncated checkpoint (section data)");
                    }
                }
                buf.flip();
                if (keep != null) {
                    buf.duplicate().get(keep, (int) done, buf.remaining());
                }
                section.update(buf.duplicate());
                whole.update(buf);
                done += buf.limit();
            }
        }
    }
}
