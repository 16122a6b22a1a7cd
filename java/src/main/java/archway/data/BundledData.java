package archway.data;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the data that ships with Archway (the NAS-Bench-201 table, the Fashion-MNIST subset), both in a
 * checkout ({@code data/...}) and in the artifacts alone (the {@code archway-data} jar, a dependency of
 * {@code archway-engine}, holds the same files under {@value #RESOURCE_ROOT}).
 *
 * <p>Search order for a bundled path such as {@code nb201/nats_bench.csv}:
 * <ol>
 *   <li>{@code <root>/data/<path>} when the system property {@value #REPO_ROOT_PROPERTY} names a root
 *       ({@code ./nas} and the test runner set it);</li>
 *   <li>the class-path resource {@code archway/data/<path>}: a {@link Path} of the jar's zip file system (opened
 *       once, kept for the JVM's life) or of the build output directory, so the readers need no copy;</li>
 *   <li>{@code data/<path>} under the working directory and its parents, then under the folders above the
 *       running jar (a checkout whose class path lacks the data jar).</li>
 * </ol>
 */
public final class BundledData {
    /** System property naming an Archway checkout whose {@code data/} directory is used first. */
    public static final String REPO_ROOT_PROPERTY = "archway.repo.root";
    /** Where the {@code archway-data} jar keeps the files, on the class path. */
    public static final String RESOURCE_ROOT = "archway/data/";
    /** Where a checkout keeps them, relative to its root. */
    public static final String CHECKOUT_DIR = "data";

    private BundledData() {
    }

    /**
     * The bundled file or directory {@code relative} (to {@code data/}, e.g. {@code nb201/nats_bench.csv}).
     *
     * @throws DataFormatException listing every place that was tried and how to make the data available
     */
    public static Path locate(String relative) {
        List<String> tried = new ArrayList<>();
        String prop = System.getProperty(REPO_ROOT_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop).resolve(CHECKOUT_DIR).resolve(relative);
            if (Files.exists(p)) {
                return p;
            }
            tried.add(p + " (-D" + REPO_ROOT_PROPERTY + ")");
        }
        Optional<Path> res = resource(relative);
        if (res.isPresent()) {
            return res.get();
        }
        tried.add("class-path resource " + RESOURCE_ROOT + relative);
        for (Path root : checkoutRoots()) {
            Path p = root.resolve(CHECKOUT_DIR).resolve(relative);
            if (Files.exists(p)) {
                return p;
            }
            tried.add(p.toString());
        }
        throw new DataFormatException("bundled data " + relative + " not found; looked in " + tried
                + "; put dev.archway:archway-data on the class path, run from an Archway checkout, or set -D"
                + REPO_ROOT_PROPERTY + "=DIR");
    }

    /** A path as a person can find it again: the file name, or the jar URI for a file inside a jar. */
    public static String describe(Path p) {
        return p.getFileSystem() == FileSystems.getDefault() ? p.toString() : p.toUri().toString();
    }

    /** The class-path resource as a Path, or empty when it is absent or its URL is no file system we can open. */
    static synchronized Optional<Path> resource(String relative) {
        ClassLoader loader = BundledData.class.getClassLoader();
        URL url = loader == null ? null : loader.getResource(RESOURCE_ROOT + relative);
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // Opened by an earlier lookup: Path.of finds it.
                }
            }
            return Optional.of(Path.of(uri));
        } catch (URISyntaxException | IOException | FileSystemNotFoundException | IllegalArgumentException e) {
            // A class loader serving URLs of another kind: the checkout candidates remain.
            return Optional.empty();
        }
    }

    /** Checkout-root candidates in search order: the working directory upwards, then the jar's folder upwards. */
    static List<Path> checkoutRoots() {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            out.add(p);
        }
        try {
            var src = BundledData.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                for (Path p = Path.of(src.getLocation().toURI()).toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                    out.add(p);
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException | FileSystemNotFoundException e) {
            // No usable jar location (e.g. a custom class loader): the working-directory candidates remain.
        }
        return List.copyOf(out);
    }
}
