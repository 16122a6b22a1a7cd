package archway.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CUDA kernels' bodies checked on the CPU (no GPU needed): native/test/hd_equivalence.cpp (built by
 * native/Makefile next to libarchway_cpu) runs every CUDA kernel's per-element, per-row and per-tile
 * bodies from include/archway/math/ on the host, in the kernel's own index order, and compares them with
 * the libarchway_cpu kernel of the same op, bit for bit. This test runs it, requires every op family to
 * be covered and every check to pass, and runs it once more with a fault injected into every check to
 * prove that each check can fail.
 */
class HostDeviceBodiesTest {
    /** One check name prefix per CUDA kernel family the program must cover. */
    private static final List<String> FAMILIES = List.of("act_fwd relu", "act_fwd sigmoid", "act_fwd hswish",
            "act_fwd hsigmoid", "act_bwd relu", "act_bwd sigmoid", "act_bwd hswish", "act_bwd hsigmoid", "add",
            "axpy", "axpby", "scale", "copy", "weight_noise", "zo_perturb plus", "zo_perturb minus", "sumsq_two_pass",
            "dot_two_pass", "zo_weight_term", "clip_grad_norm norm", "clip_grad_norm scaled", "zo_direction",
            "mixed_fwd", "mixed_fwd acc", "mixed_bwd dx", "mixed_bwd dw", "softmax_rows_fwd", "softmax_rows_bwd",
            "sparsemax_rows_fwd", "sparsemax_rows_bwd", "sgd_step", "adam_step", "adamw_step", "channel_copy",
            "channel_shuffle", "spatial_shift fwd", "spatial_shift bwd", "center_crop fwd", "center_crop bwd",
            "channel_bias fwd", "channel_bias bwd", "softmax_xent_fwd", "softmax_xent_bwd", "avgpool fwd",
            "avgpool bwd", "philox_uniform", "philox_normal");

    private record Run(int exitCode, List<String> lines) {
        long count(String status) {
            return lines.stream().filter(l -> l.contains(" " + status + " ")).count();
        }
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        Path exe = Path.of(System.getProperty("archway.native.dir", "../native/build")).resolve("hd_equivalence");
        assertTrue(Files.isExecutable(exe), exe + " missing: native/Makefile builds it with libarchway_cpu");
        String[] cmd = new String[args.length + 1];
        cmd[0] = exe.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hd_equivalence did not finish");
        return new Run(p.exitValue(), out.lines().toList());
    }

    @Test
    void everyCudaKernelBodyMatchesTheCpuKernel() throws Exception {
        Run r = run();
        String text = String.join("\n", r.lines());
        assertEquals(0, r.count("FAIL"), "failing checks:\n" + text);
        assertEquals(0, r.exitCode(), text);
        for (String family : FAMILIES) {
            assertTrue(r.lines().stream().anyMatch(l -> l.startsWith(family) && l.contains(" PASS ")),
                    "no passing check for " + family + ":\n" + text);
        }
        assertTrue(r.count("PASS") >= 100, "expected at least 100 checks:\n" + text);
    }

    @Test
    void everyCheckFailsWhenItsResultIsPerturbed() throws Exception {
        Run r = run("--fault");
        String text = String.join("\n", r.lines());
        assertEquals(1, r.exitCode(), text);
        assertEquals(0, r.count("PASS"), "checks that cannot fail:\n" + text);
        assertTrue(r.count("FAIL") >= 100, text);
    }
}
