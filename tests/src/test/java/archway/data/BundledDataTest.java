package archway.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the bundled data comes from: the checkout named by the property first, else the class-path copy
 * of the archway-data module (here its build output; the consumer project in tests/consumer checks the
 * installed jar).
 */
class BundledDataTest {
    private static final String TABLE = "nb201/nats_bench.csv";
    private final Path checkout = Path.of(System.getProperty(BundledData.REPO_ROOT_PROPERTY));
    private String saved;

    @TempDir
    Path dir;

    @BeforeEach
    void saveProperty() {
        saved = System.getProperty(BundledData.REPO_ROOT_PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        System.setProperty(BundledData.REPO_ROOT_PROPERTY, saved);
    }

    @Test
    void withoutThePropertyTheClassPathCopyIsUsedAndEqualsTheCheckoutFile() throws IOException {
        System.clearProperty(BundledData.REPO_ROOT_PROPERTY);
        Path p = BundledData.locate(TABLE);
        assertTrue(p.toString().replace('\\', '/').endsWith(BundledData.RESOURCE_ROOT + TABLE), p.toString());
        assertArrayEquals(Files.readAllBytes(checkout.resolve("data").resolve(TABLE)), Files.readAllBytes(p));
        Path mini = BundledData.locate("fashion-mnist-mini");
        assertTrue(Files.isDirectory(mini), mini.toString());
        assertTrue(Files.isRegularFile(mini.resolve("train-images-idx3-ubyte.gz")));
    }

    @Test
    void thePropertyWinsWhenItsCheckoutHasTheFile() throws IOException {
        Path own = dir.resolve("data").resolve(TABLE);
        Files.createDirectories(own.getParent());
        Files.writeString(own, "x");
        System.setProperty(BundledData.REPO_ROOT_PROPERTY, dir.toString());
        assertEquals(own, BundledData.locate(TABLE));
    }

    @Test
    void aPropertyWithoutTheFileFallsBackToTheClassPath() {
        System.setProperty(BundledData.REPO_ROOT_PROPERTY, dir.toString());
        Path p = BundledData.locate(TABLE);
        assertTrue(p.toString().replace('\\', '/').endsWith(BundledData.RESOURCE_ROOT + TABLE), p.toString());
    }

    @Test
    void missingDataListsEveryPlaceTriedAndTheRemedy() {
        System.setProperty(BundledData.REPO_ROOT_PROPERTY, dir.toString());
        DataFormatException e = assertThrows(DataFormatException.class, () -> BundledData.locate("nb201/absent.csv"));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve("data/nb201/absent.csv").toString()), m);
        assertTrue(m.contains("class-path resource archway/data/nb201/absent.csv"), m);
        assertTrue(m.contains("dev.archway:archway-data"), m);
    }

    @Test
    void aPathInsideAJarIsDescribedByItsJarUri() throws IOException {
        Path jar = dir.resolve("d.jar");
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of("create", "true"))) {
            Path inside = zip.getPath("/archway/data/x.csv");
            Files.createDirectories(inside.getParent());
            Files.writeString(inside, "1");
            assertEquals("jar:" + jar.toUri() + "!/archway/data/x.csv", BundledData.describe(inside));
        }
        assertEquals(jar.toString(), BundledData.describe(jar));
    }
}
