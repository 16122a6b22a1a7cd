package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas data info} output and its one-line errors. */
class DataInfoCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsCountsShapeClassesBalanceAndStats() {
        CliRun r = CliRun.of("data", "info", "--dataset", "fashion-mnist-mini");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("shape     1x28x28"), r.out());
        assertTrue(r.out().contains("classes   10"), r.out());
        assertTrue(r.out().contains("train     6,000 images"), r.out());
        assertTrue(r.out().contains("test      1,000 images"), r.out());
        assertTrue(r.out().matches("(?s).*9\\s+Ankle boot\\s+600\\s+100.*"), r.out());
        assertTrue(r.out().matches("(?s).*channel 0  mean 0\\.2\\d{3}  std 0\\.3\\d{3}.*"), r.out());
    }

    @Test
    void badFileIsOneLineExit2() throws Exception {
        TestFiles.write(dir, "train-images-idx3-ubyte", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        for (String part : new String[] {"train", "t10k"}) {
            TestFiles.write(dir, part + "-labels-idx1-ubyte", TestFiles.idxLabels(new byte[] {1}));
        }
        TestFiles.write(dir, "t10k-images-idx3-ubyte", TestFiles.idxImages(1, 1, 1, new byte[] {7}));
        CliRun r = CliRun.of("data", "info", "--dataset", "fashion-mnist", "--data-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("wrong magic"), r.err());
        assertFalse(r.err().contains("at archway."), "no stack trace");
    }
}
