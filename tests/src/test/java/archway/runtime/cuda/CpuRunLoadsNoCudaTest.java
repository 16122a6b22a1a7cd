package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU user never touches CUDA: a {@code --device cpu} bench step in a fresh JVM loads no class of the
 * JavaCPP presets and none of the CUDA backend, so no libcudart / libcublas / libcudnn load is attempted
 * (the presets load their JNI wrappers, and with them the NVIDIA libraries, from their classes' static
 * initialisers). A child JVM, because this test JVM has loaded them already in other tests.
 */
class CpuRunLoadsNoCudaTest {
    @Test
    void cpuBenchStepLoadsNoCudaClass(@TempDir Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xlog:class+load=info"));
        for (String prop : List.of("archway.native.dir", "archway.repo.root")) {
            String v = System.getProperty(prop);
            if (v != null) {
                cmd.add("-D" + prop + "=" + v);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "archway.cli.Main", "bench", "step",
                "--device", "cpu", "--steps", "1", "--warmup", "0", "--batch", "2", "--channels", "2", "--cells", "1",
                "--size", "8", "--threads", "1", "--json"));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        List<String> loaded = out.lines().filter(l -> l.contains("[class,load]")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains("archway.runtime.cpu.CpuBackend ")), "no class log: " + out);
        List<String> cuda = loaded.stream()
                .filter(l -> l.contains(" org.bytedeco.") || l.contains(" archway.runtime.cuda.")).toList();
        assertEquals(List.of(), cuda, "CUDA classes loaded by a CPU run");
    }
}
