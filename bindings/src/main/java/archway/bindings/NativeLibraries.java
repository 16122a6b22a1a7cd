package archway.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Finds and loads Archway's native libraries.
 *
 * <p>Search order for {@code lib<name>.so}: the directory named by the system property
 * {@code archway.native.dir}, then the environment variable {@code ARCHWAY_NATIVE_DIR}, then the copy
 * packaged in the jar under {@code archway/native/linux-x86_64/} (extracted once per JVM into a
 * temporary directory). Libraries are loaded into the global arena and stay loaded for the JVM's life.
 */
public final class NativeLibraries {
    private static final String RESOURCE_DIR = "archway/native/linux-x86_64/";

    private NativeLibraries() {
    }

    /** Loads {@code lib<name>.so}, or returns empty with {@code why} filled when it is not available. */
    public static Optional<SymbolLookup> tryLoad(String name, StringBuilder why) {
        String file = "lib" + name + ".so";
        for (String dir : new String[] {System.getProperty("archway.native.dir"), System.getenv("ARCHWAY_NATIVE_DIR")}) {
            if (dir == null || dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, file);
            if (Files.isRegularFile(p)) {
                return Optional.of(load(p, why));
            }
        }
        try (InputStream in = NativeLibraries.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                why.append(file).append(" is neither in archway.native.dir / ARCHWAY_NATIVE_DIR nor packaged in the jar");
                return Optional.empty();
            }
            Path tmp = Files.createTempDirectory("archway-native");
            Path p = tmp.resolve(file);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            p.toFile().deleteOnExit();
            tmp.toFile().deleteOnExit();
            return Optional.of(load(p, why));
        } catch (IOException e) {
            why.append("cannot extract ").append(file).append(": ").append(e.getMessage());
            return Optional.empty();
        }
    }

    /** Loads {@code lib<name>.so} or throws {@link NativeException} saying why it could not. */
    public static SymbolLookup load(String name) {
        StringBuilder why = new StringBuilder();
        return tryLoad(name, why).orElseThrow(() -> new NativeException("cannot load native library: " + why));
    }

    private static SymbolLookup load(Path p, StringBuilder why) {
        try {
            return SymbolLookup.libraryLookup(p, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new NativeException("cannot load " + p + ": " + e.getMessage());
        }
    }
}
