package archway.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100. A record is the label byte(s) then 3072 image
 * bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major, i.e. already CHW). CIFAR-10 has one label
 * byte; CIFAR-100 has two, coarse then fine, and Archway uses the fine label (100 classes). A file's length
 * must be a non-zero multiple of the record size.
 */
public final class CifarReader {
    static final int IMAGE_BYTES = 3 * 32 * 32;

    /** The two layouts. */
    public enum Variant {
        CIFAR10("cifar10", 1, 10, "cifar-10-batches-bin",
                List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
                "test_batch.bin", "batches.meta.txt"),
        CIFAR100("cifar100", 2, 100, "cifar-100-binary", List.of("train.bin"), "test.bin", "fine_label_names.txt");

        final String id;
        final int labelBytes;
        final int classes;
        final String folder;
        final List<String> trainFiles;
        final String testFile;
        final String namesFile;

        Variant(String id, int labelBytes, int classes, String folder, List<String> trainFiles, String testFile,
                String namesFile) {
            this.id = id;
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.folder = folder;
            this.trainFiles = trainFiles;
            this.testFile = testFile;
            this.namesFile = namesFile;
        }

        /** Bytes per record: label byte(s) + 3072. */
        public int recordBytes() {
            return labelBytes + IMAGE_BYTES;
        }

        public int classes() {
            return classes;
        }
    }

    private static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private CifarReader() {
    }

    /**
     * Reads train and test from {@code dir}, which holds the .bin files itself or the folder the official
     * archive unpacks to ({@code cifar-10-batches-bin}, {@code cifar-100-binary}).
     */
    public static DatasetSplit readDirectory(Path dir, Variant v) {
        Path base = dir;
        if (!Files.isRegularFile(dir.resolve(v.testFile)) && Files.isDirectory(dir.resolve(v.folder))) {
            base = dir.resolve(v.folder);
        }
        List<Path> train = new ArrayList<>();
        for (String f : v.trainFiles) {
            train.add(base.resolve(f));
        }
        List<Path> missing = new ArrayList<>();
        for (Path p : train) {
            if (!Files.isRegularFile(p)) {
                missing.add(p);
            }
        }
        if (!Files.isRegularFile(base.resolve(v.testFile))) {
            missing.add(base.resolve(v.testFile));
        }
        if (!missing.isEmpty()) {
            throw new DataFormatException(v.id + ": missing " + missing + " (looked in " + dir + " and " + dir.resolve(v.folder)
                    + "; unpack the binary version from https://www.cs.toronto.edu/~kriz/cifar.html there)");
        }
        List<String> names = classNames(base.resolve(v.namesFile), v);
        Dataset tr = read(train, v, v.id + "-train", names);
        Dataset te = read(List.of(base.resolve(v.testFile)), v, v.id + "-test", names);
        return new DatasetSplit(tr, te, base.toString());
    }

    /** Reads and concatenates the records of {@code files}. */
    public static Dataset read(List<Path> files, Variant v, String name, List<String> classNames) {
        int rec = v.recordBytes();
        long total = 0;
        for (Path f : files) {
            long size = BoundedReads.fileSize(f);
            if (size == 0) {
                throw new DataFormatException(f + ": empty file");
            }
            if (size % rec != 0) {
                throw new DataFormatException(f + ": file length " + size + " is not a multiple of the " + rec
                        + "-byte " + v.id + " record (" + v.labelBytes + " label byte" + (v.labelBytes > 1 ? "s" : "")
                        + " + 3072 image bytes); truncated or not a " + v.id + " binary file");
            }
            total += size / rec;
        }
        if (total * IMAGE_BYTES > BoundedReads.MAX_ARRAY) {
            throw new DataFormatException(files + ": " + total + " images are more than Archway can hold in memory");
        }
        int n = (int) total;
        byte[] images = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        byte[] record = new byte[rec];
        int i = 0;
        for (Path f : files) {
            long count = BoundedReads.fileSize(f) / rec;
            try (InputStream in = BoundedReads.open(f)) {
                for (long r = 0; r < count; r++, i++) {
                    if (BoundedReads.readUpTo(in, record, 0, rec) < rec) {
                        throw new DataFormatException(f + ": truncated while reading record " + r + " (the file shrank?)");
                    }
                    int label = record[v.labelBytes - 1] & 0xff;
                    if (v.labelBytes == 2 && (record[0] & 0xff) >= 20) {
                        throw new DataFormatException(f + ": coarse label " + (record[0] & 0xff) + " of record " + r
                                + " out of range [0, 20)");
                    }
                    if (label >= v.classes) {
                        throw new DataFormatException(f + ": label " + label + " of record " + r + " out of range [0, "
                                + v.classes + ")");
                    }
                    labels[i] = label;
                    System.arraycopy(record, v.labelBytes, images, i * IMAGE_BYTES, IMAGE_BYTES);
                }
            } catch (IOException e) {
                throw BoundedReads.fail(f, e);
            }
        }
        return new Dataset(name, 3, 32, 32, v.classes, images, labels, classNames);
    }

    /** Class names from the archive's names file when present and well formed, else built-in or numbers. */
    private static List<String> classNames(Path file, Variant v) {
        if (Files.isRegularFile(file) && BoundedReads.fileSize(file) < 64 * 1024) {
            try {
                List<String> names = new ArrayList<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        names.add(line.strip());
                    }
                }
                if (names.size() == v.classes) {
                    return names;
                }
            } catch (IOException e) {
                // Names are cosmetic; fall back below rather than failing a valid dataset.
            }
        }
        return v == Variant.CIFAR10 ? CIFAR10_NAMES : List.of();
    }
}
