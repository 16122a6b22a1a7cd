package archway.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.bindings.cpu.CpuLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one portable libarchway_cpu carries baseline / avx2 / avx512 builds of every kernel and picks one
 * at load time. Each variant this CPU runs is forced (ARCHWAY_ISA) in a child JVM that reruns the
 * kernel tests against their double-precision references and the bit-identical training test; variants
 * the CPU cannot run are skipped with the reason, and so is the one this JVM chose (the suite itself
 * runs its kernel tests under it).
 */
class IsaVariantsTest {
    /** "avx512 (x86-64-v4: ...); runs here: baseline avx2 avx512; automatic". */
    record Report(String chosen, List<String> runnable, String why) {
        static Report parse(String features) {
            String[] parts = features.split(";\\s*");
            String chosen = parts[0].split(" ")[0];
            List<String> runs = Arrays.asList(parts[1].substring("runs here:".length()).trim().split("\\s+"));
            return new Report(chosen, runs, parts[2]);
        }
    }

    @Test
    void automaticChoiceIsTheWidestVariantThisCpuRuns() {
        String forced = System.getenv("ARCHWAY_ISA");
        assumeTrue(forced == null || forced.isEmpty(), "ARCHWAY_ISA is set for this JVM: no automatic choice");
        Report r = Report.parse(CpuLibrary.features());
        assertEquals("automatic", r.why());
        assertTrue(r.runnable().contains("baseline"), "every x86-64-v2 CPU runs the baseline: " + r);
        assertEquals(r.runnable().getLast(), r.chosen());
    }

    @ParameterizedTest(name = "ARCHWAY_ISA={0}")
    @ValueSource(strings = {"baseline", "avx2", "avx512"})
    void eachVariantPassesTheKernelTests(String variant, @TempDir Path tmp) throws Exception {
        Report here = Report.parse(CpuLibrary.features());
        assumeTrue(here.runnable().contains(variant), "this CPU cannot run the " + variant + " variant");
        assumeFalse(variant.equals(here.chosen()), "the kernel tests of this JVM already run " + variant);
        Child c = runChild(variant, "kernels", tmp);
        assertEquals(variant, Report.parse(c.firstLine()).chosen(), c.output());
        assertEquals(0, c.exit(), "kernel tests under ARCHWAY_ISA=" + variant + ":\n" + c.output());
    }

    @Test
    void unknownVariantIsRefusedWithAWarningAndTheAutomaticChoiceStands(@TempDir Path tmp) throws Exception {
        Child c = runChild("sse9", "features", tmp);
        assertEquals(0, c.exit(), c.output());
        Report r = Report.parse(c.firstLine());
        assertEquals(Report.parse(CpuLibrary.features()).runnable().getLast(), r.chosen());
        assertTrue(r.why().contains("ARCHWAY_ISA=sse9 ignored"), r.why());
        assertTrue(c.output().contains("warning: ARCHWAY_ISA=sse9 ignored"), c.output());
    }

    record Child(int exit, String output) {
        String firstLine() {
            return output.lines().filter(l -> l.startsWith("variant: ")).findFirst()
                    .map(l -> l.substring("variant: ".length())).orElse("? ; runs here: ; no variant line");
        }
    }

    private static Child runChild(String variant, String mode, Path tmp) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m"));
        for (String prop : List.of("archway.native.dir", "archway.repo.root")) {
            String v = System.getProperty(prop);
            if (v != null) {
                cmd.add("-D" + prop + "=" + v);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IsaVariantChild.class.getName(), mode));
        Path log = tmp.resolve("child-" + variant + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ARCHWAY_ISA", variant);
        if (variant.equals("baseline")) {
            // A 128 KiB L2 makes the cache-sized GEMM and im2col chunks small enough that the kernel
            // tests' shapes span several chunks: the chunked paths meet the references too.
            pb.environment().put("ARCHWAY_L2_BYTES", "131072");
        }
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Child(-1, "timed out\n" + Files.readString(log));
        }
        return new Child(p.exitValue(), Files.readString(log));
    }
}
