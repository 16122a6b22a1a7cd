package archway.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The dataset registry: resolves a name (and an optional {@code --data-dir}) to files and reads them.
 *
 * <ul>
 *   <li>{@code fashion-mnist-mini}: the bundled class-balanced subset in {@code data/fashion-mnist-mini/}
 *       (6,000 train / 1,000 test), found by {@link BundledData}: in a checkout or in the
 *       {@code archway-data} jar on the class path.</li>
 *   <li>{@code fashion-mnist}: the full set, {@code --data-dir} or {@value #SYSTEM_FASHION_MNIST}
 *       (Debian package {@code dataset-fashion-mnist}).</li>
 *   <li>{@code cifar10}, {@code cifar100}: the binary versions in {@code --data-dir}.</li>
 *   <li>{@code medmnist}: {@code --data-dir} is the path of a MedMNIST {@code .npz}.</li>
 * </ul>
 */
public final class Datasets {
    /** Registered names, in the order {@code --help} lists them. */
    public static final List<String> NAMES = List.of("fashion-mnist-mini", "fashion-mnist", "cifar10", "cifar100", "medmnist");
    /** Where Debian's {@code dataset-fashion-mnist} installs the full set. */
    public static final String SYSTEM_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";
    /** The bundled subset's name under {@code data/} (and under {@link BundledData#RESOURCE_ROOT} in the data jar). */
    public static final String MINI_NAME = "fashion-mnist-mini";
    /** The bundled subset, relative to the repository root. */
    public static final String MINI_DIR = BundledData.CHECKOUT_DIR + "/" + MINI_NAME;

    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private Datasets() {
    }

    /**
     * Loads dataset {@code name}.
     *
     * @param dataDir the user's {@code --data-dir}, or null
     * @throws DataFormatException for an unknown name, missing files (saying where it looked and how to get
     *                             them) and malformed files
     */
    public static DatasetSplit load(String name, Path dataDir) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "fashion-mnist-mini" -> loadIdx(dataDir != null ? dataDir : miniDir(), "fashion-mnist-mini");
            case "fashion-mnist" -> loadIdx(dataDir != null ? dataDir : fullFashionMnistDir(), "fashion-mnist");
            case "cifar10" -> CifarReader.readDirectory(requireDir(dataDir, n), CifarReader.Variant.CIFAR10);
            case "cifar100" -> CifarReader.readDirectory(requireDir(dataDir, n), CifarReader.Variant.CIFAR100);
            case "medmnist" -> {
                if (dataDir == null) {
                    throw new DataFormatException("medmnist needs --data-dir FILE.npz (e.g. pathmnist.npz from "
                            + "https://zenodo.org/records/10519652)");
                }
                yield MedMnistReader.read(dataDir);
            }
            default -> throw new DataFormatException("unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /**
     * Reads an IDX directory holding {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
     * {@code t10k-images-idx3-ubyte[.gz]} and {@code t10k-labels-idx1-ubyte[.gz]} (Fashion-MNIST file names).
     */
    public static DatasetSplit loadIdx(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(name + ": directory " + dir + " does not exist" + hint(name));
        }
        Dataset train = IdxReader.read(idxFile(dir, "train-images-idx3-ubyte", name),
                idxFile(dir, "train-labels-idx1-ubyte", name), name + "-train", 10, FASHION_MNIST_CLASSES);
        Dataset test = IdxReader.read(idxFile(dir, "t10k-images-idx3-ubyte", name),
                idxFile(dir, "t10k-labels-idx1-ubyte", name), name + "-test", 10, FASHION_MNIST_CLASSES);
        return new DatasetSplit(train, test, BundledData.describe(dir));
    }

    /** The uncompressed file if present, else its .gz. */
    private static Path idxFile(Path dir, String base, String name) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DataFormatException(name + ": missing " + gz + " (or " + plain + ")" + hint(name));
    }

    private static String hint(String name) {
        return switch (name) {
            case "fashion-mnist" -> "; install the full set with 'apt-get install dataset-fashion-mnist' (into "
                    + SYSTEM_FASHION_MNIST + ") or pass --data-dir DIR holding the IDX files from "
                    + "https://github.com/zalandoresearch/fashion-mnist";
            case "fashion-mnist-mini" -> "; it ships with the Archway sources in " + MINI_DIR + " and in the archway-data jar"
                    + " (rebuild it with 'java scripts/MakeFashionMnistMini.java')";
            default -> "";
        };
    }

    private static Path fullFashionMnistDir() {
        Path p = Path.of(SYSTEM_FASHION_MNIST);
        if (!Files.isDirectory(p)) {
            throw new DataFormatException("fashion-mnist: not found in " + SYSTEM_FASHION_MNIST + hint("fashion-mnist"));
        }
        return p;
    }

    private static Path requireDir(Path dataDir, String name) {
        String how = "download the binary version from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it and "
                + "pass --data-dir DIR";
        if (dataDir == null) {
            throw new DataFormatException(name + " needs --data-dir; " + how);
        }
        if (!Files.isDirectory(dataDir)) {
            throw new DataFormatException(name + ": directory " + dataDir + " does not exist; " + how);
        }
        return dataDir;
    }

    /** The bundled subset's directory ({@link BundledData#locate}), or an error listing every place that was tried. */
    static Path miniDir() {
        try {
            return BundledData.locate(MINI_NAME);
        } catch (DataFormatException e) {
            throw new DataFormatException("fashion-mnist-mini: " + e.getMessage() + " (or pass --data-dir DIR)"
                    + hint("fashion-mnist-mini"));
        }
    }
}
