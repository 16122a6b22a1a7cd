package archway.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small dataset files (good or deliberately broken) for the reader tests. */
final class TestFiles {
    private TestFiles() {
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static byte[] idxImages(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer bb = ByteBuffer.allocate(16 + pixels.length).order(ByteOrder.BIG_ENDIAN);
        bb.putInt(0x803).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return bb.array();
    }

    static byte[] idxLabels(byte[] labels) {
        ByteBuffer bb = ByteBuffer.allocate(8 + labels.length).order(ByteOrder.BIG_ENDIAN);
        bb.putInt(0x801).putInt(labels.length).put(labels);
        return bb.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    /** An .npy v1 array with the given dtype and shape text, e.g. ("|u1", "(4, 28, 28)"). */
    static byte[] npy(String dtype, String shape, byte[] data) {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return bb.array();
    }

    static byte[] int64s(long... values) {
        ByteBuffer bb = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bb.putLong(v);
        }
        return bb.array();
    }

    /** A zip of the given entries (deflated, like numpy.savez_compressed). */
    static Path npz(Path dir, String name, Map<String, byte[]> entries) throws IOException {
        Path p = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return p;
    }

    /** CIFAR records: label byte(s) then 3072 image bytes. */
    static byte[] cifar(int labelBytes, int[] coarse, int[] fine, byte[] images) {
        int n = fine.length;
        ByteBuffer bb = ByteBuffer.allocate(n * (labelBytes + 3072));
        for (int i = 0; i < n; i++) {
            if (labelBytes == 2) {
                bb.put((byte) coarse[i]);
            }
            bb.put((byte) fine[i]).put(images, i * 3072, 3072);
        }
        return bb.array();
    }
}
