package archway.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.data.DataFormatException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled table, lookups, and clear errors for malformed table files. */
class Nb201TableTest {
    static Nb201Table table;
    static List<String> lines;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        table = Nb201Table.loadDefault();
        lines = Files.readAllLines(Nb201Table.defaultPath());
    }

    @Test
    void holdsTheWholeSpaceOnce() {
        assertEquals(15_625, table.size());
        boolean[] seen = new boolean[Nb201Arch.SPACE_SIZE];
        for (int i = 0; i < table.size(); i++) {
            Nb201Arch a = table.arch(i);
            assertEquals(i, table.indexOf(a));
            seen[a.code()] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertEquals(6466, table.uniqueCount(), "NAS-Bench-201 has 6,466 unique architectures");
    }

    @Test
    void bestCifar10ArchitectureIsIndex6111At94_37() {
        int best = table.bestIndex(Nb201Dataset.CIFAR10);
        assertEquals(6111, best);
        double acc = table.accuracy(Nb201Dataset.CIFAR10, best);
        assertEquals(new BigDecimal("94.37"), BigDecimal.valueOf(acc).setScale(2, RoundingMode.HALF_UP));
        assertEquals("333132", table.arch(best).toDigits());
        assertEquals(acc, table.accuracy(Nb201Dataset.CIFAR10, Nb201Arch.parse("333132")));
        assertEquals(acc, table.summary(Nb201Dataset.CIFAR10).max());
    }

    @Test
    void rowsMatchTheFile() {
        String[] f = lines.get(1 + 1234).split(","); // line 0 is the header
        assertEquals(Double.parseDouble(f[0]), table.accuracy(Nb201Dataset.CIFAR10, 1234));
        assertEquals(Double.parseDouble(f[1]), table.accuracy(Nb201Dataset.CIFAR100, 1234));
        assertEquals(Double.parseDouble(f[2]), table.accuracy(Nb201Dataset.IMAGENET16_120, 1234));
        assertEquals(f[3], table.arch(1234).toBenchmarkString());
        assertEquals(f[4], table.uniqueString(1234));
    }

    @Test
    void twinsShareTheUniqueStringAndAreSymmetric() {
        for (int step = 0; step < table.size(); step += 97) {
            final int i = step;
            for (int j : table.twins(i)) {
                assertEquals(table.uniqueString(i), table.uniqueString(j));
                assertTrue(java.util.Arrays.stream(table.twins(j)).anyMatch(k -> k == i));
            }
        }
        assertArrayEquals(new int[0], table.twins(6111));
    }

    @Test
    void findAcceptsIndexDigitsAndBenchmarkString() {
        assertEquals(6111, table.find("6111"));
        assertEquals(6111, table.find(" 333132 "));
        assertEquals(6111, table.find(table.arch(6111).toBenchmarkString()));
        assertEquals(0, table.find("0"));
        assertEquals(15_624, table.find("15624"));
        assertThrows(IllegalArgumentException.class, () -> table.find("15625"));
        assertThrows(IllegalArgumentException.class, () -> table.find("-1"));
        assertThrows(IllegalArgumentException.class, () -> table.find("555555"));
        assertThrows(IllegalArgumentException.class, () -> table.find("abc"));
    }

    // ---- malformed files: each error names the file and the line ----

    private Path write(String name, List<String> content, boolean finalNewline) throws IOException {
        Path p = tmp.resolve(name);
        String text = String.join("\n", content) + (finalNewline ? "\n" : "");
        Files.writeString(p, text);
        return p;
    }

    private static void assertError(Path file, String where, String what) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Nb201Table.load(file));
        assertTrue(e.getMessage().startsWith(file + where), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void copyOfTheBundledFileLoads() throws IOException {
        Path p = write("ok.csv", lines, true);
        assertEquals(table.accuracy(Nb201Dataset.CIFAR100, 77), Nb201Table.load(p).accuracy(Nb201Dataset.CIFAR100, 77));
        Path crlf = tmp.resolve("crlf.csv");
        Files.writeString(crlf, String.join("\r\n", lines)); // Windows line ends, no final newline
        assertEquals(15_625, Nb201Table.load(crlf).size());
    }

    @Test
    void truncatedFile() throws IOException {
        List<String> l = new ArrayList<>(lines.subList(0, 101));
        String last = lines.get(101);
        l.add(last.substring(0, last.indexOf(',', 30))); // cut inside line 102
        assertError(write("truncated.csv", l, false), ":102:", "(file truncated?)");
    }

    @Test
    void badHeader() throws IOException {
        List<String> l = new ArrayList<>(lines);
        l.set(0, l.get(0).replace("UniqueString", "Unique"));
        assertError(write("header.csv", l, true), ":1:", "bad header");
    }

    @Test
    void nonNumericField() throws IOException {
        List<String> l = new ArrayList<>(lines);
        l.set(500, "n/a" + l.get(500).substring(l.get(500).indexOf(',')));
        assertError(write("nan.csv", l, true), ":501:", "column CIFAR10TestAccuracy200Epochs: 'n/a' is not a number");
        l = new ArrayList<>(lines);
        l.set(9, "101.5" + l.get(9).substring(l.get(9).indexOf(',')));
        assertError(write("range.csv", l, true), ":10:", "not an accuracy in percent");
    }

    @Test
    void badArchitectureString() throws IOException {
        List<String> l = new ArrayList<>(lines);
        l.set(3000, l.get(3000).replaceFirst("~0\\|\\+", "~1|+"));
        assertError(write("arch.csv", l, true), ":3001:", "column ArchitectureString: bad NB201 architecture string");
    }

    @Test
    void duplicateArchitecture() throws IOException {
        List<String> l = new ArrayList<>(lines);
        l.set(20, l.get(10));
        assertError(write("dup.csv", l, true), ":21:", "already appears on line 11");
    }

    @Test
    void wrongRowCount() throws IOException {
        assertError(write("short.csv", lines.subList(0, lines.size() - 1), true), ":15625:", "only 15624 data rows");
        List<String> l = new ArrayList<>(lines);
        l.add(lines.get(5));
        assertError(write("long.csv", l, true), ":15627:", "more than 15625 data rows");
        List<String> blank = new ArrayList<>(lines);
        blank.add(40, "");
        assertError(write("blank.csv", blank, true), ":41:", "empty line");
    }

    @Test
    void wrongFieldCount() throws IOException {
        List<String> l = new ArrayList<>(lines);
        l.set(7, l.get(7) + ",extra");
        assertError(write("fields.csv", l, true), ":8:", "expected 5 comma-separated fields, got 6");
    }

    @Test
    void missingAndEmptyFiles() throws IOException {
        Path missing = tmp.resolve("nope.csv");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Nb201Table.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        Path empty = write("empty.csv", List.of(), false);
        e = assertThrows(DataFormatException.class, () -> Nb201Table.load(empty));
        assertTrue(e.getMessage().startsWith(empty + ": empty file"), e.getMessage());
    }
}
