package archway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Shape of {@code nas bench train} and {@code nas bench kernel} output and their user errors (no timing assertions). */
class BenchTrainAndKernelCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void benchTrainTimesTheDiscreteTrainingStep() throws Exception {
        CliRun r = run("bench", "train", "--batch", "4", "--size", "8", "--channels", "4", "--steps", "2",
                "--warmup", "1", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("train", j.get("bench").asText());
        assertEquals(4, j.get("batch").asInt());
        assertTrue(j.get("images_per_s").asDouble() > 0);
        assertEquals(4.0 * 2 / (j.get("sec_per_step").asDouble() * 2), j.get("images_per_s").asDouble(), 1e-6 * j.get("images_per_s").asDouble());
        for (String f : new String[] {"forward_s", "backward_s", "clip_and_sgd_s"}) {
            assertTrue(j.get("phases_per_step").get(f).asDouble() > 0, f);
        }
        assertTrue(j.get("params").asLong() > 0);
    }

    /**
     * An mbv3 subnet (the peer bench/pytorch_train_mbv3.py builds the same network): the JSON names the space and
     * the subnet, and its parameter count is the subnet's exact count (docs/MBV3.md), which the comparison
     * script checks against the peer's. A malformed subnet is a one-line user error.
     */
    @Test
    void benchTrainTimesAnMbv3Subnet() throws Exception {
        archway.spaces.mbv3.Mbv3Arch smallest = archway.spaces.mbv3.Mbv3Arch.smallest();
        String arch = archway.spaces.mbv3.Mbv3Json.write(smallest);
        CliRun r = run("bench", "train", "--space", "mbv3", "--arch", arch, "--batch", "2", "--size", "16",
                "--in-channels", "3", "--steps", "1", "--warmup", "0", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("mbv3", j.get("space").asText());
        assertEquals(arch, j.get("arch").asText());
        assertEquals(archway.spaces.mbv3.Mbv3Network.tracedCount(smallest, 3, 16, 10).params(), j.get("params").asLong());
        CliRun bad = run("bench", "train", "--space", "mbv3", "--arch", "{\"ks\":[3]}", "--steps", "1", "--warmup", "0");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: --arch: ") && bad.err().strip().lines().count() == 1, bad.err());
    }

    @Test
    void benchKernelTimesANamedVariantAndExplainsTheAutomaticChoice() throws Exception {
        CliRun r = run("bench", "kernel", "--op", "conv2d-fwd", "--variant", "winograd", "--shape", "2,4,6,6,4,3,1,1",
                "--reps", "2", "--warmup", "0", "--threads", "1", "--explain", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("winograd", j.get("variant").asText());
        assertEquals(6, j.get("shape").get("h").asInt());
        assertTrue(j.get("ms_median").asDouble() > 0);
        assertTrue(r.err().contains("auto picks " + j.get("auto_choice").asText()), r.err());
        assertTrue(r.err().contains("winograd"), r.err());
    }

    @Test
    void benchKernelTimesNamedGradientVariants() throws Exception {
        for (String[] opVariant : new String[][] {{"conv2d-bwd-data", "gemm"}, {"conv2d-bwd-filter", "gemm"},
                {"conv2d-bwd-data", "depthwise"}}) {
            String shape = opVariant[1].equals("depthwise") ? "2,4,6,6,4,3,1,1,1,4" : "2,4,6,6,8,3,1,1";
            CliRun r = run("bench", "kernel", "--op", opVariant[0], "--variant", opVariant[1], "--shape", shape,
                    "--reps", "2", "--warmup", "0", "--threads", "1", "--explain", "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals(opVariant[1], j.get("variant").asText());
            assertTrue(r.err().contains("auto picks " + j.get("auto_choice").asText()), r.err());
            assertTrue(r.err().contains("variants that apply: ") && r.err().contains("gemm"), r.err());
        }
    }

    /**
     * The sibling ops: both variants run on every pass; at 28 px with 16 + 16 output channels the vector
     * builds merge the pair into one Winograd call (the JSON's auto_choice names it), the baseline build runs
     * two calls ("separate").
     */
    @Test
    void benchKernelTimesSiblingConvolutions() throws Exception {
        boolean vector = archway.bindings.cpu.CpuLibrary.features().startsWith("avx");
        for (String op : new String[] {"conv2d-siblings-fwd", "conv2d-siblings-bwd-data", "conv2d-siblings-bwd-filter"}) {
            for (String variant : new String[] {"auto", "separate"}) {
                CliRun r = run("bench", "kernel", "--op", op, "--variant", variant, "--shape", "2,16,28,28,32,3,1,1",
                        "--reps", "2", "--warmup", "0", "--threads", "1", "--explain");
                assertEquals(0, r.code(), r.err());
                JsonNode j = new ObjectMapper().readTree(r.out());
                assertEquals(op, j.get("op").asText());
                assertEquals(16, j.get("split").asInt());
                assertEquals(vector, j.get("auto_choice").asText().startsWith("winograd"), j.toString());
                assertTrue(r.err().contains("auto runs this pair as"), r.err());
            }
        }
    }

    @Test
    void badKernelRequestsAreOneLineUserErrors() {
        for (String[] args : new String[][] {
                {"bench", "kernel", "--variant", "fft", "--shape", "1,1,4,4,1,3,1,1"},
                {"bench", "kernel", "--shape", "1,1,4"},
                {"bench", "kernel", "--variant", "depthwise", "--shape", "1,2,4,4,2,3,1,1"},
                {"bench", "kernel", "--op", "conv2d-bwd-data", "--variant", "winograd", "--shape", "1,1,4,4,1,3,2,1"},
                {"bench", "kernel", "--op", "conv2d-bwd-filter", "--variant", "lanes", "--shape", "1,2,4,4,2,3,1,1,1,2"},
                {"bench", "kernel", "--op", "matmul", "--shape", "1,1,4,4,1,3,1,1"},
                {"bench", "kernel", "--op", "conv2d-siblings-fwd", "--shape", "1,16,8,8,32,3,1,1", "--split", "32"},
                {"bench", "kernel", "--op", "conv2d-siblings-fwd", "--variant", "winograd", "--shape", "1,16,8,8,32,3,1,1"},
                {"bench", "kernel", "--op", "conv2d-fwd", "--shape", "1,16,8,8,32,3,1,1", "--split", "16"}}) {
            CliRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("error: ") && r.err().strip().lines().count() == 1, r.err());
        }
    }
}
