package archway.nb201;

import archway.data.BundledData;
import archway.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The NAS-Bench-201 table: for each of the 15,625 architectures (row i = benchmark index i) the test
 * accuracy after the 200-epoch schedule on CIFAR-10, CIFAR-100 and ImageNet16-120, and the unique
 * (isomorphism) string that is equal for architectures computing the same function.
 *
 * <p>Loaded from the CSV bundled as {@code data/}{@value #BUNDLED_PATH} (provenance in SOURCE.txt next
 * to it), found by {@link BundledData} in a checkout or in the {@code archway-data} jar on the class path. The file is treated as untrusted: header, row count, field count, numbers, architecture strings
 * and duplicates are checked, and every problem is a {@link DataFormatException} naming file and line.
 * Immutable once loaded.
 */
public final class Nb201Table {
    /** Location of the bundled table under {@code data/} (checkout) or {@link BundledData#RESOURCE_ROOT} (jar). */
    public static final String BUNDLED_PATH = "nb201/nats_bench.csv";
    /** Location of the bundled table relative to the repository root. */
    public static final String DEFAULT_RELATIVE_PATH = BundledData.CHECKOUT_DIR + "/" + BUNDLED_PATH;
    /** System property holding the repository root (set by ./nas and by the test runner). */
    public static final String REPO_ROOT_PROPERTY = BundledData.REPO_ROOT_PROPERTY;
    /** The exact header line of the table file. */
    public static final String HEADER = "CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,"
            + "ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString";

    private static final int FIELDS = 5;
    // The real file is 3 MB; anything far larger is not this table and is refused before reading it.
    private static final long MAX_BYTES = 64L << 20;

    private final Path source;
    private final double[][] acc;            // [dataset.ordinal()][index]
    private final Nb201Arch[] archs;         // by index
    private final int[] indexByCode;         // Nb201Arch.code() -> index
    private final String[] unique;           // by index
    private final int[][] groupMembers;      // isomorphism group -> indices, ascending
    private final int[] groupOf;             // index -> isomorphism group

    private Nb201Table(Path source, double[][] acc, Nb201Arch[] archs, int[] indexByCode, String[] unique) {
        this.source = source;
        this.acc = acc;
        this.archs = archs;
        this.indexByCode = indexByCode;
        this.unique = unique;
        Map<String, Integer> ids = new HashMap<>();
        this.groupOf = new int[archs.length];
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < archs.length; i++) {
            int g = ids.computeIfAbsent(unique[i], k -> {
                members.add(new ArrayList<>());
                return members.size() - 1;
            });
            groupOf[i] = g;
            members.get(g).add(i);
        }
        this.groupMembers = members.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /**
     * Path of the bundled table: in the checkout named by {@value #REPO_ROOT_PROPERTY}, else in the
     * {@code archway-data} jar, else in a checkout above the working directory (see {@link BundledData}).
     *
     * @throws DataFormatException listing the places tried when the table is nowhere
     */
    public static Path defaultPath() {
        return BundledData.locate(BUNDLED_PATH);
    }

    /**
     * Loads the bundled table ({@link #defaultPath()}): the usual way in.
     *
     * <pre>{@code
     * Nb201Table table = Nb201Table.loadDefault();
     * int i = table.find("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
     * double cifar10 = table.accuracy(Nb201Dataset.CIFAR10, i);   // test accuracy in percent
     * }</pre>
     */
    public static Nb201Table loadDefault() {
        return load(defaultPath());
    }

    /**
     * Loads and validates a table file.
     *
     * @throws DataFormatException if the file is missing, unreadable or malformed; the message names the
     *     file and, for content errors, the 1-based line number
     */
    public static Nb201Table load(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new DataFormatException(file + ": " + size + " bytes is far larger than an NB201 table (~3 MB); refusing to read it");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException("NB201 table " + file + " does not exist", e);
        } catch (IOException e) {
            throw new DataFormatException("cannot read NB201 table " + file + ": " + e.getMessage(), e);
        }
        return parse(file, new String(bytes, StandardCharsets.UTF_8));
    }

    private static Nb201Table parse(Path file, String text) {
        int n = Nb201Arch.SPACE_SIZE;
        double[][] acc = new double[Nb201Dataset.values().length][n];
        Nb201Arch[] archs = new Nb201Arch[n];
        String[] unique = new String[n];
        int[] indexByCode = new int[n];
        Arrays.fill(indexByCode, -1);

        int pos = 0;
        int line = 0;
        int rows = 0;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            boolean lastLineUnterminated = end < 0;
            if (lastLineUnterminated) {
                end = text.length();
            }
            String row = text.substring(pos, end);
            if (row.endsWith("\r")) {
                row = row.substring(0, row.length() - 1);
            }
            pos = end + 1;
            line++;
            if (line == 1) {
                String header = row.startsWith("\uFEFF") ? row.substring(1) : row;
                if (!header.equals(HEADER)) {
                    throw at(file, line, "bad header: expected '" + HEADER + "', got '" + abbreviate(header) + "'");
                }
                continue;
            }
            if (row.isEmpty()) {
                if (pos >= text.length()) {
                    break; // a trailing empty line after the final newline
                }
                throw at(file, line, "empty line inside the table");
            }
            if (rows == n) {
                throw at(file, line, "more than " + n + " data rows (an NB201 table has exactly " + n + ")");
            }
            String[] f = row.split(",", -1);
            if (f.length != FIELDS) {
                throw at(file, line, "expected " + FIELDS + " comma-separated fields, got " + f.length
                        + (lastLineUnterminated ? " (file truncated?)" : ""));
            }
            for (Nb201Dataset d : Nb201Dataset.values()) {
                acc[d.ordinal()][rows] = accuracy(file, line, d, f[d.ordinal()]);
            }
            Nb201Arch arch;
            try {
                arch = Nb201Arch.parseBenchmarkString(f[3]);
            } catch (IllegalArgumentException e) {
                throw at(file, line, "column ArchitectureString: " + e.getMessage());
            }
            int code = arch.code();
            if (indexByCode[code] >= 0) {
                throw at(file, line, "architecture " + arch + " already appears on line " + (indexByCode[code] + 2));
            }
            if (f[4].isBlank()) {
                throw at(file, line, "column UniqueString is empty");
            }
            indexByCode[code] = rows;
            archs[rows] = arch;
            unique[rows] = f[4];
            rows++;
        }
        if (line == 0) {
            throw new DataFormatException(file + ": empty file, expected an NB201 table");
        }
        if (rows != n) {
            throw at(file, line, "only " + rows + " data rows (file ends here), expected " + n);
        }
        return new Nb201Table(file, acc, archs, indexByCode, unique);
    }

    private static double accuracy(Path file, int line, Nb201Dataset d, String field) {
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw at(file, line, "column " + d.column() + ": '" + abbreviate(field) + "' is not a number");
        }
        if (!(v >= 0 && v <= 100)) {
            throw at(file, line, "column " + d.column() + ": " + field + " is not an accuracy in percent (0..100)");
        }
        return v;
    }

    private static DataFormatException at(Path file, int line, String why) {
        return new DataFormatException(file + ":" + line + ": " + why);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** The file this table was loaded from. */
    public Path source() {
        return source;
    }

    /** Number of architectures (15,625). */
    public int size() {
        return archs.length;
    }

    /** Architecture at a benchmark index. */
    public Nb201Arch arch(int index) {
        checkIndex(index);
        return archs[index];
    }

    /** Benchmark index of an architecture (every architecture of the space is in the table). */
    public int indexOf(Nb201Arch arch) {
        return indexByCode[arch.code()];
    }

    /** Test accuracy (percent) of the architecture at {@code index}. */
    public double accuracy(Nb201Dataset dataset, int index) {
        checkIndex(index);
        return acc[dataset.ordinal()][index];
    }

    /** Test accuracy (percent) of an architecture. */
    public double accuracy(Nb201Dataset dataset, Nb201Arch arch) {
        return acc[dataset.ordinal()][indexOf(arch)];
    }

    /** A copy of all accuracies for a dataset, by benchmark index. */
    public double[] accuracies(Nb201Dataset dataset) {
        return acc[dataset.ordinal()].clone();
    }

    /** A copy of all accuracies for a dataset, by {@link Nb201Arch#code()} (for fast neighbourhood walks). */
    public double[] accuraciesByCode(Nb201Dataset dataset) {
        double[] a = acc[dataset.ordinal()];
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[archs[i].code()] = a[i];
        }
        return r;
    }

    /** Unique (isomorphism) string: equal for architectures that compute the same function. */
    public String uniqueString(int index) {
        checkIndex(index);
        return unique[index];
    }

    /** Other indices with the same unique string as {@code index} (its isomorphic twins), ascending. */
    public int[] twins(int index) {
        checkIndex(index);
        return Arrays.stream(groupMembers[groupOf[index]]).filter(i -> i != index).toArray();
    }

    /** Number of distinct unique strings (isomorphism classes). */
    public int uniqueCount() {
        return groupMembers.length;
    }

    /** Index of the most accurate architecture for a dataset (the lowest index on ties). */
    public int bestIndex(Nb201Dataset dataset) {
        double[] a = acc[dataset.ordinal()];
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Distribution of accuracies over all architectures for a dataset. */
    public AccuracySummary summary(Nb201Dataset dataset) {
        return AccuracySummary.of(acc[dataset.ordinal()]);
    }

    /**
     * Finds an architecture given in any of the forms a person types: a benchmark index (up to 5 digits,
     * 0..15624), six op digits (e.g. {@code 333313}) or a benchmark string. Returns its index.
     *
     * @throws IllegalArgumentException saying which form was assumed and what is wrong
     */
    public int find(String spec) {
        String s = spec.strip();
        if (s.startsWith("|") || s.length() == Nb201Arch.NUM_EDGES) {
            return indexOf(Nb201Arch.parse(s));
        }
        if (!s.isEmpty() && s.length() < Nb201Arch.NUM_EDGES && s.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(s);
            if (i >= size()) {
                throw new IllegalArgumentException("index " + i + " is out of range 0.." + (size() - 1));
            }
            return i;
        }
        throw new IllegalArgumentException("'" + spec + "' is neither an index (0.." + (size() - 1)
                + "), six op digits 0-4 (e.g. 333313) nor a benchmark string (|op~0|+|op~0|op~1|+|op~0|op~1|op~2|)");
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= archs.length) {
            throw new IndexOutOfBoundsException("NB201 index " + index + " is not in 0.." + (archs.length - 1));
        }
    }
}
