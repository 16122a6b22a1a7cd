package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.NativeLibraries;
import archway.bindings.cpu.CpuLibrary;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.nb201.Nb201Table;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a tool gets from the installed artifacts alone: Archway's jars from the local repository, the
 * bundled data and the native kernels out of those jars, and only runtime libraries the README lists
 * with their licences.
 */
class ArtifactsTest {
    private static final String VERSION = System.getProperty("consumer.archway.version");

    @Test
    void archwayComesFromTheInstalledJars() throws URISyntaxException {
        assertInstalledJar(Nb201Table.class, "archway-engine");
        assertInstalledJar(NativeLibraries.class, "archway-bindings");
    }

    @Test
    void bundledDataIsReadFromTheDataJarWithoutACheckout() {
        assertNull(System.getProperty("archway.repo.root"), "the consumer must not point at a checkout");
        String table = Nb201Table.loadDefault().source().toUri().toString();
        assertTrue(table.startsWith("jar:file:") && table.endsWith("/archway-data-" + VERSION + ".jar!/archway/data/nb201/nats_bench.csv"),
                table);
        DatasetSplit mini = Datasets.load("fashion-mnist-mini", null);
        assertEquals(6000, mini.train().size());
        assertEquals(1000, mini.test().size());
        assertTrue(mini.source().startsWith("jar:file:") && mini.source().endsWith("!/archway/data/fashion-mnist-mini"),
                mini.source());
    }

    @Test
    void nativeKernelsAreLoadedFromTheBindingsJar() throws IOException {
        assertNull(System.getProperty("archway.native.dir"));
        assertTrue(CpuLibrary.threads() >= 1);   // loads libarchway_cpu
        // NativeLibraries extracts the jar's copy into a temporary archway-native* folder and maps it from there.
        List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.endsWith("/libarchway_cpu.so")).toList();
        assertTrue(!mapped.isEmpty() && mapped.stream().allMatch(l -> l.contains("/archway-native")), mapped.toString());
    }

    @Test
    void runtimeLibrariesAreExactlyTheReadmeListNoneGplAndNoTestLibraries() throws IOException {
        Map<String, String> runtime = new TreeMap<>();    // groupId:artifactId -> version, Archway's own excluded
        for (String entry : Files.readString(Path.of(System.getProperty("consumer.runtime.classpath"))).strip().split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path versionDir = jar.getParent();
            Path artifactDir = versionDir.getParent();
            Path repo = artifactDir.getParent();
            while (repo != null && !repo.getFileName().toString().equals("repository")) {
                repo = repo.getParent();
            }
            String group = repo.relativize(artifactDir.getParent()).toString().replace(File.separatorChar, '.');
            if (!group.equals("dev.archway")) {
                runtime.put(group + ":" + artifactDir.getFileName(), versionDir.getFileName().toString());
            }
        }
        for (String test : List.of("org.junit", "org.opentest4j", "org.apiguardian")) {
            assertTrue(runtime.keySet().stream().noneMatch(k -> k.startsWith(test)), "test library at run time: " + runtime);
        }
        Map<String, String> listed = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([^`:]+:[^`]+)` \\| ([^ |]+) \\| ([^|]+) \\|", Pattern.MULTILINE);
        Matcher m = row.matcher(Files.readString(Path.of(System.getProperty("consumer.readme"))));
        while (m.find()) {
            listed.put(m.group(1), m.group(2));
            assertTrue(!m.group(3).contains("GPL"), "GPL-family licence at run time: " + m.group());
        }
        assertEquals(runtime, listed, "README's runtime dependency table vs the resolved runtime class path");
    }

    private static void assertInstalledJar(Class<?> c, String artifact) throws URISyntaxException {
        Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(artifact + "-" + VERSION + ".jar", jar.getFileName().toString());
        assertTrue(jar.toString().contains("/dev/archway/" + artifact + "/" + VERSION + "/"), jar.toString());
    }
}
