package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas data corrupt}: writes the sheet, the same bytes for the same seed, one-line errors. */
class DataCorruptCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesAReproducibleSheetOfFifteenRowsAndSixColumns() throws Exception {
        CliRun r = CliRun.of("data", "corrupt", "--dataset", "fashion-mnist-mini", "--out", dir.resolve("a").toString(), "--index", "3");
        assertEquals(0, r.code(), r.err());
        Path png = dir.resolve("a/corruptions-fashion-mnist-mini-3.png");
        assertTrue(r.out().contains(png.toString()), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        // 28x28 images magnified 3x: 6 columns of 84 + 4 px gaps after a 120 px label column; 15 rows below a header
        assertEquals(120 + 6 * (84 + 4), img.getWidth());
        assertEquals(20 + 15 * (84 + 4), img.getHeight());
        assertEquals(0, CliRun.of("data", "corrupt", "--out", dir.resolve("b").toString(), "--index", "3").code());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(png),
                Files.readAllBytes(dir.resolve("b/corruptions-fashion-mnist-mini-3.png"))));
    }

    @Test
    void badIndexIsOneLineAndExitTwo() {
        CliRun r = CliRun.of("data", "corrupt", "--out", dir.toString(), "--index", "5000");
        assertEquals(2, r.code());
        assertEquals("error: --index 5000 outside the test split [0, 1000)", r.err().strip());
    }
}
