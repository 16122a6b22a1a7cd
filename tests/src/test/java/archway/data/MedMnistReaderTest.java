package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MedMNIST .npz reader: grey and RGB round trips, label dtypes, malformed archives and arrays. */
class MedMnistReaderTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> grey(int n, String labelDtype, String labelShape, byte[] labelData) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String part : new String[] {"train", "val", "test"}) {
            m.put(part + "_images.npy", TestFiles.npy("|u1", "(" + n + ", 28, 28)", TestFiles.randomBytes(n * 784, part.length())));
            m.put(part + "_labels.npy", TestFiles.npy(labelDtype, labelShape, labelData));
        }
        return m;
    }

    private static void assertMessage(DataFormatException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "mentions '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void greyWithInt64ColumnLabels() throws IOException {
        Path f = TestFiles.npz(dir, "organmnist.npz", grey(3, "<i8", "(3, 1)", TestFiles.int64s(0, 4, 2)));
        DatasetSplit s = MedMnistReader.read(f);
        assertEquals(3, s.train().size());
        assertEquals(3, s.validation().orElseThrow().size());
        assertEquals("1x28x28", s.test().shape());
        assertEquals(5, s.train().numClasses());
        assertEquals(4, s.train().label(1));
        assertEquals("organmnist-train", s.train().name());
    }

    @Test
    void rgbIsConvertedToChwWithUint8Labels() throws IOException {
        int n = 2;
        byte[] hwc = TestFiles.randomBytes(n * 28 * 28 * 3, 5);
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String part : new String[] {"train", "test"}) {
            m.put(part + "_images.npy", TestFiles.npy("|u1", "(2, 28, 28, 3)", hwc));
            m.put(part + "_labels.npy", TestFiles.npy("|u1", "(2,)", new byte[] {8, 1}));
        }
        DatasetSplit s = MedMnistReader.read(TestFiles.npz(dir, "pathmnist.npz", m));
        Dataset d = s.train();
        assertEquals("3x28x28", d.shape());
        assertTrue(s.validation().isEmpty());
        assertEquals(9, d.numClasses());
        for (int i = 0; i < n; i++) {
            for (int y : new int[] {0, 13, 27}) {
                for (int x : new int[] {0, 5, 27}) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(hwc[((i * 28 + y) * 28 + x) * 3 + c] & 0xff, d.pixel(i, c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void notAZip() throws IOException {
        Path f = TestFiles.write(dir, "bad.npz", TestFiles.randomBytes(100, 1));
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f.toString(), "not a valid .npz");
    }

    @Test
    void missingEntry() throws IOException {
        Map<String, byte[]> m = grey(2, "|u1", "(2,)", new byte[] {0, 1});
        m.remove("test_labels.npy");
        Path f = TestFiles.npz(dir, "x.npz", m);
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f.toString(),
                "no test_labels.npy");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.npz");
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f.toString(), "no such file");
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path f = TestFiles.npz(dir, "x.npz", grey(3, "|u1", "(2,)", new byte[] {0, 1}));
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f.toString(),
                "holds 3 images", "holds 2 labels");
    }

    @Test
    void shapeDisagreesWithEntryLength() throws IOException {
        Map<String, byte[]> m = grey(2, "|u1", "(2,)", new byte[] {0, 1});
        m.put("train_images.npy", TestFiles.npy("|u1", "(3, 28, 28)", TestFiles.randomBytes(2 * 784, 1)));
        Path f = TestFiles.npz(dir, "x.npz", m);
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f + ":train_images.npy",
                "disagree");
    }

    @Test
    void truncatedArray() throws IOException {
        Map<String, byte[]> m = grey(2, "|u1", "(2,)", new byte[] {0, 1});
        byte[] arr = m.get("val_images.npy");
        m.put("val_images.npy", Arrays.copyOf(arr, arr.length - 10));
        Path f = TestFiles.npz(dir, "x.npz", m);
        // The zip's central directory records the true (short) length, so the mismatch is caught up front.
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f + ":val_images.npy");
    }

    @Test
    void labelsOutOfRange() throws IOException {
        Path f = TestFiles.npz(dir, "x.npz", grey(2, "<i8", "(2, 1)", TestFiles.int64s(3, -1)));
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f + ":train_labels.npy",
                "label -1 at index 1 out of range");
    }

    @Test
    void wrongDtypeAndMultiLabel() throws IOException {
        Map<String, byte[]> m = grey(2, "|u1", "(2,)", new byte[] {0, 1});
        m.put("train_images.npy", TestFiles.npy("<f4", "(2, 28, 28)", new byte[2 * 784 * 4]));
        Path f = TestFiles.npz(dir, "x.npz", m);
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), "unsupported dtype '<f4'");
        Path g = TestFiles.npz(dir, "chest.npz", grey(2, "|u1", "(2, 2)", new byte[] {0, 1, 1, 0}));
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(g)), "multi-label");
    }

    @Test
    void wrongMagic() throws IOException {
        Map<String, byte[]> m = grey(2, "|u1", "(2,)", new byte[] {0, 1});
        m.put("train_labels.npy", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        Path f = TestFiles.npz(dir, "x.npz", m);
        assertMessage(assertThrows(DataFormatException.class, () -> MedMnistReader.read(f)), f + ":train_labels.npy",
                "wrong magic");
    }
}
