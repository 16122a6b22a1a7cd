package archway.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: {@code *-images-idx3-ubyte[.gz]} (magic 0x00000803, then
 * count, rows, cols as big-endian int32, then count*rows*cols uint8 pixels) and {@code *-labels-idx1-ubyte[.gz]}
 * (magic 0x00000801, count, then count uint8 labels). Files ending in {@code .gz} are gunzipped while
 * reading. Header counts are checked against the file length (or, for gzip, the most the file can
 * decompress to, then the bytes actually decompressed) before anything sized by them is allocated.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    /** No image of any supported dataset comes near this; it bounds a corrupt header early. */
    private static final int MAX_SIDE = 4096;

    private IdxReader() {
    }

    /**
     * Reads a pair of IDX files into a one-channel dataset.
     *
     * @param numClasses labels must lie in [0, numClasses)
     * @param classNames one per class, or empty
     * @throws DataFormatException naming the file and the problem
     */
    public static Dataset read(Path imagesFile, Path labelsFile, String name, int numClasses, List<String> classNames) {
        Images img = readImages(imagesFile);
        byte[] raw = readLabels(labelsFile);
        if (raw.length != img.count()) {
            throw new DataFormatException(imagesFile + " holds " + img.count() + " images but " + labelsFile
                    + " holds " + raw.length + " labels");
        }
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = raw[i] & 0xff;
            if (labels[i] >= numClasses) {
                throw new DataFormatException(labelsFile + ": label " + labels[i] + " at index " + i
                        + " out of range [0, " + numClasses + ")");
            }
        }
        return new Dataset(name, 1, img.rows(), img.cols(), numClasses, img.pixels(), labels, classNames);
    }

    /** Pixels of an IDX image file, row-major per image. */
    record Images(int count, int rows, int cols, byte[] pixels) {
    }

    static Images readImages(Path file) {
        try (InputStream in = BoundedReads.open(file)) {
            int[] h = header(in, file, IMAGES_MAGIC, 3, "IDX uint8 images, 3 dimensions");
            int count = h[0];
            int rows = h[1];
            int cols = h[2];
            if (rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new DataFormatException(file + ": implausible image size " + rows + "x" + cols + " in the header");
            }
            long bytes = (long) count * rows * cols;
            String what = count + " images of " + rows + "x" + cols;
            checkLength(file, 16, bytes, what);
            byte[] pixels = BoundedReads.readExactly(in, bytes, file, what);
            BoundedReads.expectEnd(in, file, what);
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw BoundedReads.fail(file, e);
        }
    }

    static byte[] readLabels(Path file) {
        try (InputStream in = BoundedReads.open(file)) {
            int count = header(in, file, LABELS_MAGIC, 1, "IDX uint8 labels, 1 dimension")[0];
            String what = count + " labels";
            checkLength(file, 8, count, what);
            byte[] labels = BoundedReads.readExactly(in, count, file, what);
            BoundedReads.expectEnd(in, file, what);
            return labels;
        } catch (IOException e) {
            throw BoundedReads.fail(file, e);
        }
    }

    /** Checks magic and reads the dimension sizes (each must be >= 0; the count must be >= 1). */
    private static int[] header(InputStream in, Path file, int magic, int dims, String kind) throws IOException {
        int headerBytes = 4 + 4 * dims;
        byte[] h = new byte[headerBytes];
        int got = BoundedReads.readUpTo(in, h, 0, headerBytes);
        if (got < 4) {
            throw new DataFormatException(file + ": truncated: " + got + " bytes, too short for an IDX header");
        }
        int m = be32(h, 0);
        if (m != magic) {
            throw new DataFormatException(file + String.format(": wrong magic 0x%08x, expected 0x%08x (%s)", m, magic, kind));
        }
        if (got < headerBytes) {
            throw new DataFormatException(file + ": truncated: " + got + " bytes, the IDX header needs " + headerBytes);
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = be32(h, 4 + 4 * d);
            if (sizes[d] < 0) {
                throw new DataFormatException(file + ": negative dimension " + sizes[d] + " in the IDX header");
            }
        }
        if (sizes[0] == 0) {
            throw new DataFormatException(file + ": the header says the file holds no items");
        }
        return sizes;
    }

    /**
     * Plain files must be exactly header + payload long; gzip files must be able to decompress to the payload
     * at all (the bytes that actually arrive are checked while reading).
     */
    private static void checkLength(Path file, int headerBytes, long payload, String what) {
        long size = BoundedReads.fileSize(file);
        if (BoundedReads.isGzip(file)) {
            long max = BoundedReads.maxPayload(file);
            if (payload > max) {
                throw new DataFormatException(file + ": truncated or corrupt header: header says " + what + " ("
                        + payload + " bytes) but a " + size + "-byte gzip file cannot hold that much");
            }
            return;
        }
        long actual = size - headerBytes;
        if (actual < payload) {
            throw new DataFormatException(file + ": truncated: header says " + what + " (" + payload
                    + " bytes of data) but only " + actual + " bytes follow the " + headerBytes + "-byte header");
        }
        if (actual > payload) {
            throw new DataFormatException(file + ": counts disagree with file length: header says " + what + " ("
                    + payload + " bytes of data) but " + actual + " bytes follow the " + headerBytes + "-byte header");
        }
    }

    private static int be32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
