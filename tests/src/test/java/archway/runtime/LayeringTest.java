package archway.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/ENGINE.md, checked by a plain scan of the engine's sources
 * (java/src/main/java/archway): every reference to another Archway package, by import or by fully
 * qualified name, must point to the same layer or a lower one, and only {@code archway.runtime} (with
 * its backend subpackages) may reference {@code archway.bindings}.
 *
 * <p>Layers, lowest first (a package may use its own layer and any lower one):
 * <ol start="0">
 *   <li>{@code bindings}: FFM downcalls (its own module; only runtime may use it)</li>
 *   <li>{@code runtime}: Backend, buffers, kernel calls, executor; the root package {@code archway}
 *       ({@code UserError}) sits here too, usable by every layer</li>
 *   <li>{@code graph}, {@code optim}, {@code data}: the graph IR and planner; flat-buffer optimisers;
 *       datasets and batch loading into backend buffers</li>
 *   <li>{@code nn}: layer builders and networks</li>
 *   <li>{@code spaces}, {@code nb201}: search spaces; the NAS-Bench-201 cell encoding and table</li>
 *   <li>{@code search}, {@code train}, {@code run}, {@code landscape}, {@code report}, {@code evo},
 *       {@code trial}, {@code flatnas}, {@code nachos}, {@code cluster}, {@code supernet}: algorithms (gradient-based and evolutionary), trials
 *       (local and on a cluster), their run infrastructure, run pages</li>
 *   <li>{@code cli}: the commands</li>
 * </ol>
 * A new package must be added to {@link #LAYER} (the test fails until it is).
 */
class LayeringTest {
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("bindings", 0),
            Map.entry("", 1),
            Map.entry("runtime", 1),
            Map.entry("graph", 2), Map.entry("optim", 2), Map.entry("data", 2),
            Map.entry("nn", 3),
            Map.entry("spaces", 4), Map.entry("nb201", 4),
            Map.entry("search", 5), Map.entry("train", 5), Map.entry("run", 5), Map.entry("landscape", 5),
            Map.entry("report", 5),
            Map.entry("evo", 5), Map.entry("trial", 5), Map.entry("flatnas", 5), Map.entry("nachos", 5), Map.entry("cluster", 5),
            Map.entry("supernet", 5),
            Map.entry("cli", 6));

    /** {@code archway.<package>.<Name or subpackage>}: the top-level package a reference names. */
    private static final Pattern REFERENCE = Pattern.compile("\\barchway\\.([a-z][a-z0-9_]*)\\.");

    private static Path sources() {
        return Path.of(System.getProperty("archway.repo.root", ".."), "java", "src", "main", "java", "archway");
    }

    /** The top-level package of a source file ("" for the root package). */
    private static String packageOf(Path root, Path file) {
        Path rel = root.relativize(file);
        return rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
    }

    /** The source with comments removed and string literals emptied (a property name is no reference). */
    static String code(String src) {
        return src.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    /** Violations of the two rules in one file's code. */
    static List<String> violations(String pkg, String file, String code) {
        List<String> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        Integer own = LAYER.get(pkg);
        while (m.find()) {
            String target = m.group(1);
            if (target.equals("bindings") && !pkg.equals("runtime")) {
                out.add(file + ": " + (pkg.isEmpty() ? "archway" : "archway." + pkg)
                        + " references archway.bindings (only archway.runtime may)");
                continue;
            }
            Integer to = LAYER.get(target);
            if (to != null && own != null && to > own) {
                out.add(file + ": archway." + pkg + " (layer " + own + ") references archway." + target + " (layer "
                        + to + ")");
            }
        }
        if (!pkg.equals("runtime") && VENDOR.matcher(code).find()) {
            out.add(file + ": " + (pkg.isEmpty() ? "archway" : "archway." + pkg)
                    + " references org.bytedeco (the JavaCPP CUDA presets: only archway.runtime may)");
        }
        return out;
    }

    /** The vendor libraries (cuDNN, cuBLAS, CUDA runtime through JavaCPP) are the runtime's, like bindings. */
    private static final Pattern VENDOR = Pattern.compile("\\borg\\.bytedeco\\.");

    @Test
    void onlyRuntimeUsesTheJavaCppPresets() {
        assertEquals(1, violations("cli", "c/X.java", code("import org.bytedeco.cuda.global.cudart;\n")).size());
        assertEquals(List.of(), violations("runtime", "r/X.java", code("import org.bytedeco.cuda.global.cudnn;\n")));
        assertEquals(List.of(), violations("cli", "c/X.java", code("// org.bytedeco.cuda in a comment\n")));
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        Path root = sources();
        assertTrue(Files.isDirectory(root), "engine sources not found at " + root);
        Set<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> packageOf(root, f))
                    .filter(p -> !LAYER.containsKey(p))
                    .forEach(unknown::add);
        }
        assertEquals(Set.of(), unknown, "packages without a layer in LayeringTest.LAYER");
    }

    @Test
    void onlyRuntimeUsesBindingsAndNoLayerUsesAHigherOne() throws IOException {
        Path root = sources();
        List<String> all = new ArrayList<>();
        int scanned;
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> java = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            scanned = java.size();
            for (Path f : java) {
                try {
                    all.addAll(violations(packageOf(root, f), root.relativize(f).toString(), code(Files.readString(f))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assertTrue(scanned > 100, "expected the whole engine, scanned " + scanned + " files");
        assertEquals(List.of(), all, "layering violations");
    }

    @Test
    void theScanCatchesWhatItMustAndIgnoresCommentsAndStrings() {
        assertEquals(1, violations("graph", "g/Op.java", code("import archway.bindings.cpu.ConvKernels;\n")).size());
        assertEquals(1, violations("search", "s/X.java",
                code("class X { void f() { archway.bindings.cpu.CpuLibrary.setThreads(1); } }")).size());
        assertEquals(1, violations("nn", "n/X.java", code("import archway.search.DartsSearch;\n")).size());
        assertEquals(1, violations("graph", "g/X.java", code("import archway.nn.Layers;\n")).size());
        assertEquals(List.of(), violations("runtime", "r/X.java", code("import archway.bindings.cpu.ConvKernels;\n")));
        assertEquals(List.of(), violations("cli", "c/X.java", code("import archway.search.DartsSearch;\n")));
        assertEquals(List.of(), violations("graph", "g/X.java",
                code("/** see archway.bindings.cpu */ // archway.nn.Layers\nString p = \"archway.search.x\";")));
    }
}
