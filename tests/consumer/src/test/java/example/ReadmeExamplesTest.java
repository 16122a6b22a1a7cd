package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java blocks are this project's code: every {@code // README:name} ... {@code // README:end}
 * region of src/main/java/example, de-indented, is a {@code ```java} block of README.md, and README.md has
 * no other Java block. Edit the example, then paste the region; this test says which block differs.
 */
class ReadmeExamplesTest {
    private static final Pattern REGION = Pattern.compile("(?m)^[ \\t]*// README:(\\w+)\\n(.*?)^[ \\t]*// README:end\\n", Pattern.DOTALL);
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);

    @Test
    void everyReadmeJavaBlockIsAnExampleRegionAndViceVersa() throws IOException {
        List<String> regions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("consumer.examples")))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = REGION.matcher(Files.readString(f));
                while (m.find()) {
                    names.add(f.getFileName() + " " + m.group(1));
                    regions.add(dedent(m.group(2)));
                }
            }
        }
        assertEquals(List.of("SearchExample.java search", "TableExample.java table", "TrainExample.java train"), names);
        List<String> blocks = new ArrayList<>();
        Matcher b = JAVA_BLOCK.matcher(Files.readString(Path.of(System.getProperty("consumer.readme"))));
        while (b.find()) {
            blocks.add(b.group(1));
        }
        for (int i = 0; i < regions.size(); i++) {
            assertTrue(blocks.contains(regions.get(i)), names.get(i) + " is not in README.md verbatim; expected block:\n"
                    + regions.get(i));
        }
        for (String block : blocks) {
            assertTrue(regions.contains(block), "README.md has a Java block that no example compiles:\n" + block);
        }
        assertEquals(regions.size(), blocks.size(), "each example once");
    }

    @Test
    void dedentRemovesTheCommonIndentOnly() {
        assertEquals("a\n  b\n", dedent("    a\n      b\n"));
        assertFalse(dedent("  x\n").startsWith(" "));
    }

    /** The region without the indentation all its non-blank lines share. */
    static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
