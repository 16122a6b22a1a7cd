package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10/100 binary reader: round trips, directory layout, and malformed files. */
class CifarReaderTest {
    @TempDir
    Path dir;

    @Test
    void cifar10DirectoryRoundTrip() throws IOException {
        Path base = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        int per = 3;
        byte[][] imgs = new byte[6][];
        for (int b = 0; b < 6; b++) {
            imgs[b] = TestFiles.randomBytes(per * 3072, b);
            int[] fine = {b % 10, (b + 3) % 10, 9};
            String name = b < 5 ? "data_batch_" + (b + 1) + ".bin" : "test_batch.bin";
            TestFiles.write(base, name, TestFiles.cifar(1, null, fine, imgs[b]));
        }
        DatasetSplit s = Datasets.load("cifar10", dir);
        assertEquals(15, s.train().size());
        assertEquals(3, s.test().size());
        assertEquals("3x32x32", s.train().shape());
        assertEquals(10, s.train().numClasses());
        assertEquals("airplane", s.train().classNames().get(0));
        // Image 4 of the training set is record 1 of data_batch_2: label (1 + 3) % 10, bytes copied as CHW.
        assertEquals(4, s.train().label(4));
        byte[] img = new byte[3072];
        s.train().copyImage(4, img, 0);
        assertEquals(Arrays.toString(Arrays.copyOfRange(imgs[1], 3072, 6144)), Arrays.toString(img));
        assertEquals(imgs[1][3072 + 1024 * 2 + 32 * 5 + 7] & 0xff, s.train().pixel(4, 2, 5, 7));
    }

    @Test
    void cifar100UsesFineLabel() throws IOException {
        byte[] imgs = TestFiles.randomBytes(2 * 3072, 9);
        Path f = TestFiles.write(dir, "train.bin", TestFiles.cifar(2, new int[] {3, 19}, new int[] {77, 99}, imgs));
        Dataset d = CifarReader.read(List.of(f), CifarReader.Variant.CIFAR100, "c100", List.of());
        assertEquals(100, d.numClasses());
        assertEquals(77, d.label(0));
        assertEquals(99, d.label(1));
    }

    @Test
    void lengthNotMultipleOfRecord() throws IOException {
        byte[] good = TestFiles.cifar(1, null, new int[] {1, 2}, TestFiles.randomBytes(2 * 3072, 2));
        Path f = TestFiles.write(dir, "data_batch_1.bin", Arrays.copyOf(good, good.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CifarReader.read(List.of(f), CifarReader.Variant.CIFAR10, "c", List.of()));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not a multiple of the 3073-byte"),
                e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path f = TestFiles.write(dir, "test_batch.bin", new byte[0]);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CifarReader.read(List.of(f), CifarReader.Variant.CIFAR10, "c", List.of()));
        assertTrue(e.getMessage().contains(f + ": empty file"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path f = TestFiles.write(dir, "b.bin", TestFiles.cifar(1, null, new int[] {1, 12}, TestFiles.randomBytes(2 * 3072, 3)));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CifarReader.read(List.of(f), CifarReader.Variant.CIFAR10, "c", List.of()));
        assertTrue(e.getMessage().contains(f + ": label 12 of record 1 out of range [0, 10)"), e.getMessage());
        Path g = TestFiles.write(dir, "c.bin", TestFiles.cifar(2, new int[] {25}, new int[] {1}, TestFiles.randomBytes(3072, 3)));
        DataFormatException e2 = assertThrows(DataFormatException.class,
                () -> CifarReader.read(List.of(g), CifarReader.Variant.CIFAR100, "c", List.of()));
        assertTrue(e2.getMessage().contains("coarse label 25"), e2.getMessage());
    }

    @Test
    void missingFilesAndDirectory() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("cifar10", dir));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("data_batch_1.bin")
                && e.getMessage().contains(dir.toString()), e.getMessage());
        DataFormatException e2 = assertThrows(DataFormatException.class,
                () -> Datasets.load("cifar100", dir.resolve("absent")));
        assertTrue(e2.getMessage().contains("does not exist") && e2.getMessage().contains("absent"), e2.getMessage());
        DataFormatException e3 = assertThrows(DataFormatException.class, () -> Datasets.load("cifar100", null));
        assertTrue(e3.getMessage().contains("--data-dir"), e3.getMessage());
    }
}
