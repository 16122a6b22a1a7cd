package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry: the bundled subset, IDX directories, and errors that say where it looked. */
class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void bundledMiniIsClassBalanced() {
        DatasetSplit s = Datasets.load("fashion-mnist-mini", null);
        assertEquals(6000, s.train().size());
        assertEquals(1000, s.test().size());
        assertEquals("1x28x28", s.train().shape());
        assertEquals(10, s.train().numClasses());
        assertEquals("Ankle boot", s.train().classNames().get(9));
        int[] train = s.train().classCounts();
        int[] test = s.test().classCounts();
        for (int k = 0; k < 10; k++) {
            assertEquals(600, train[k], "train class " + k);
            assertEquals(100, test[k], "test class " + k);
        }
        ChannelStats st = ChannelStats.of(s.train());
        // Fashion-MNIST's published statistics are mean 0.2860, std 0.3530; a balanced subset is close.
        assertEquals(0.286, st.mean(0), 0.01);
        assertEquals(0.353, st.std(0), 0.01);
    }

    @Test
    void idxDirectoryPrefersPlainFilesAndFallsBackToGzip() throws IOException {
        byte[] px = TestFiles.randomBytes(3 * 4, 2);
        TestFiles.write(dir, "train-images-idx3-ubyte", TestFiles.idxImages(3, 2, 2, px));
        TestFiles.write(dir, "train-labels-idx1-ubyte.gz", TestFiles.gzip(TestFiles.idxLabels(new byte[] {1, 2, 3})));
        TestFiles.write(dir, "t10k-images-idx3-ubyte.gz", TestFiles.gzip(TestFiles.idxImages(1, 2, 2, Arrays.copyOf(px, 4))));
        TestFiles.write(dir, "t10k-labels-idx1-ubyte", TestFiles.idxLabels(new byte[] {4}));
        DatasetSplit s = Datasets.load("fashion-mnist", dir);
        assertEquals(3, s.train().size());
        assertEquals(4, s.test().label(0));
        assertEquals(dir.toString(), s.source());
    }

    @Test
    void missingFileNamesItAndTheRemedy() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("fashion-mnist", dir));
        assertTrue(e.getMessage().contains(dir.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void missingDirectory() {
        Path absent = dir.resolve("nowhere");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("fashion-mnist", absent));
        assertTrue(e.getMessage().contains(absent + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        DataFormatException m = assertThrows(DataFormatException.class, () -> Datasets.load("fashion-mnist-mini", absent));
        assertTrue(m.getMessage().contains("MakeFashionMnistMini"), m.getMessage());
    }

    @Test
    void miniIsFoundFromTheRepoRootProperty() throws IOException {
        String old = System.getProperty("archway.repo.root");
        try {
            Files.createDirectories(dir.resolve(Datasets.MINI_DIR));
            System.setProperty("archway.repo.root", dir.toString());
            assertEquals(dir.resolve(Datasets.MINI_DIR).toAbsolutePath(), Datasets.miniDir().toAbsolutePath());
        } finally {
            if (old == null) {
                System.clearProperty("archway.repo.root");
            } else {
                System.setProperty("archway.repo.root", old);
            }
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("imagenet", null));
        assertTrue(e.getMessage().contains("unknown dataset 'imagenet'") && e.getMessage().contains("cifar100"),
                e.getMessage());
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.load("medmnist", null)).getMessage()
                .contains("--data-dir"));
    }

    @Test
    void subsetCopiesImagesAndLabels() {
        byte[] px = TestFiles.randomBytes(4 * 3, 7);
        Dataset d = new Dataset("d", 3, 1, 1, 4, px, new int[] {0, 1, 2, 3}, null);
        Dataset s = d.subset(new int[] {3, 1}, "s");
        assertEquals(2, s.size());
        assertEquals(3, s.label(0));
        assertEquals(px[3 * 3 + 2] & 0xff, s.pixel(0, 2, 0, 0));
        assertEquals("[0, 1, 0, 1]", Arrays.toString(s.classCounts()));
    }
}
