package archway.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX reader: round trips (plain and gzip) and one test per malformed-file case. */
class IdxReaderTest {
    @TempDir
    Path dir;

    private static final int N = 7;
    private static final int R = 5;
    private static final int C = 4;
    private final byte[] pixels = TestFiles.randomBytes(N * R * C, 1);
    private final byte[] labels = {0, 1, 2, 9, 3, 3, 7};

    private Dataset readPair(Path img, Path lab) {
        return IdxReader.read(img, lab, "t", 10, List.of());
    }

    private static void assertMessage(DataFormatException e, Path file, String... parts) {
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "mentions '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void roundTripPlainAndGzip() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            byte[] im = TestFiles.idxImages(N, R, C, pixels);
            byte[] lb = TestFiles.idxLabels(labels);
            String s = gz ? ".gz" : "";
            Dataset d = readPair(TestFiles.write(dir, "a-images-idx3-ubyte" + s, gz ? TestFiles.gzip(im) : im),
                    TestFiles.write(dir, "a-labels-idx1-ubyte" + s, gz ? TestFiles.gzip(lb) : lb));
            assertEquals(N, d.size());
            assertEquals("1x5x4", d.shape());
            for (int i = 0; i < N; i++) {
                assertEquals(labels[i], d.label(i));
                byte[] img = new byte[R * C];
                d.copyImage(i, img, 0);
                assertArrayEquals(Arrays.copyOfRange(pixels, i * R * C, (i + 1) * R * C), img);
            }
            assertEquals(pixels[R * C + 2 * C + 3] & 0xff, d.pixel(1, 0, 2, 3));
        }
    }

    @Test
    void truncatedImages() throws IOException {
        byte[] im = TestFiles.idxImages(N, R, C, pixels);
        Path p = TestFiles.write(dir, "t-images-idx3-ubyte", Arrays.copyOf(im, im.length - 3));
        Path l = TestFiles.write(dir, "t-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), p, "truncated", "7 images of 5x4");
    }

    @Test
    void truncatedGzipImages() throws IOException {
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(N, R, C, pixels));
        Path p = TestFiles.write(dir, "t-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length - 30));
        Path l = TestFiles.write(dir, "t-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), p, "truncated");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = TestFiles.write(dir, "h-images-idx3-ubyte", new byte[] {0, 0, 8, 3, 0, 0});
        Path l = TestFiles.write(dir, "h-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), p, "truncated", "header");
    }

    @Test
    void wrongMagic() throws IOException {
        // A labels file where the images file belongs.
        Path p = TestFiles.write(dir, "m-images-idx3-ubyte", TestFiles.idxLabels(labels));
        Path l = TestFiles.write(dir, "m-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), p, "wrong magic", "0x00000801");
    }

    @Test
    void countsDisagreeWithFileLength() throws IOException {
        byte[] im = TestFiles.idxImages(N, R, C, pixels);
        Path p = TestFiles.write(dir, "c-images-idx3-ubyte", Arrays.copyOf(im, im.length + 20));
        Path l = TestFiles.write(dir, "c-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), p, "disagree with file length");
        Path g = TestFiles.write(dir, "c-images-idx3-ubyte.gz", TestFiles.gzip(Arrays.copyOf(im, im.length + 20)));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(g, l)), g, "disagree with file length");
    }

    @Test
    void hugeHeaderCountIsRejectedBeforeAllocating() throws IOException {
        // Claims 2^31-1 images of 28x28 in a tiny gzip file: must fail on the length check, not run out of memory.
        byte[] im = ByteBuffer.allocate(16 + 100).putInt(0x803).putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array();
        Path g = TestFiles.write(dir, "big-images-idx3-ubyte.gz", TestFiles.gzip(im));
        Path p = TestFiles.write(dir, "big-images-idx3-ubyte", im);
        Path l = TestFiles.write(dir, "big-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(g, l)), g, "cannot hold");
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), p, "truncated");
    }

    @Test
    void labelOutOfRange() throws IOException {
        byte[] bad = labels.clone();
        bad[4] = 10;
        Path p = TestFiles.write(dir, "r-images-idx3-ubyte", TestFiles.idxImages(N, R, C, pixels));
        Path l = TestFiles.write(dir, "r-labels-idx1-ubyte", TestFiles.idxLabels(bad));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, l)), l,
                "label 10 at index 4 out of range [0, 10)");
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path p = TestFiles.write(dir, "x-images-idx3-ubyte", TestFiles.idxImages(N, R, C, pixels));
        Path l = TestFiles.write(dir, "x-labels-idx1-ubyte", TestFiles.idxLabels(Arrays.copyOf(labels, N - 1)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> readPair(p, l));
        assertMessage(e, p, "7 images", "6 labels", l.toString());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope-images-idx3-ubyte");
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(p, dir.resolve("nope-labels"))), p,
                "no such file");
    }

    @Test
    void notGzip() throws IOException {
        Path g = TestFiles.write(dir, "z-images-idx3-ubyte.gz", TestFiles.idxImages(N, R, C, pixels));
        Path l = TestFiles.write(dir, "z-labels-idx1-ubyte", TestFiles.idxLabels(labels));
        assertMessage(assertThrows(DataFormatException.class, () -> readPair(g, l)), g, "corrupt compressed data");
    }
}
