package archway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Shape of {@code nas bench step --json} (no timing assertions: the numbers depend on the machine). */
class BenchStepCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void positive(JsonNode n, String field) {
        assertTrue(n.has(field), "missing " + field + " in " + n);
        assertTrue(n.get(field).isNumber(), field + " is not a number: " + n.get(field));
        assertTrue(n.get(field).asDouble() > 0, field + " should be > 0: " + n.get(field));
    }

    private static void nonNegative(JsonNode n, String field) {
        assertTrue(n.has(field) && n.get(field).isNumber(), "missing number " + field + " in " + n);
        assertTrue(n.get(field).asDouble() >= 0, field + " should be >= 0: " + n.get(field));
    }

    @Test
    void tinyDartsStepPrintsOneJsonObjectWithThroughputPhasesLatencyAndMemory() throws Exception {
        CliRun r = run("bench", "step", "--space", "nb201", "--algo", "darts", "--batch", "4", "--size", "8",
                "--in-channels", "1", "--channels", "2", "--cells", "1", "--steps", "1", "--warmup", "0",
                "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.isObject());
        assertEquals("darts", j.get("algo").asText());
        assertEquals("nb201", j.get("space").asText());
        assertEquals(4, j.get("batch").asInt());
        assertEquals(1, j.get("steps").asInt());
        assertEquals(8, j.get("images_per_step").asInt());
        positive(j, "images_per_s");
        positive(j, "sec_per_step");
        positive(j, "peak_rss_mb");
        JsonNode ph = j.get("phases_per_step");
        for (String f : new String[] {"forward_s", "backward_s", "arch_step_s", "weight_step_s"}) {
            positive(ph, f);
        }
        nonNegative(ph, "optimizer_s");
        for (String kind : new String[] {"arch", "weight"}) {
            JsonNode k = ph.get(kind);
            positive(k, "total_s");
            positive(k, "forward_s");
            positive(k, "backward_s");
            nonNegative(k, "optimizer_s");
        }
        JsonNode lat = j.get("step_latency_ms");
        for (String f : new String[] {"p50", "p90", "p99", "max"}) {
            positive(lat, f);
        }
        assertTrue(lat.get("p50").asDouble() <= lat.get("max").asDouble());
        assertEquals(1, lat.get("count").asInt());
        positive(j.get("memory"), "workspace_mb");
    }

    @Test
    void sparsemaxStepReportsItsZeroWeightsAndStaysFinite() throws Exception {
        CliRun r = run("bench", "step", "--space", "nb201", "--algo", "darts", "--batch", "4", "--size", "8",
                "--in-channels", "1", "--channels", "2", "--cells", "1", "--steps", "2", "--warmup", "0",
                "--threads", "1", "--simplex", "sparsemax", "--temperature", "0.5", "--alpha-scale", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("sparsemax", j.get("simplex").asText());
        // alpha ~ N(0,1) over 5 ops at T = 0.5: sparsemax keeps only a few ops per edge.
        assertTrue(j.get("zero_weight_fraction_start").asDouble() > 0.3, j.toString());
        positive(j, "images_per_s");
        assertEquals(0.0, new ObjectMapper().readTree(run("bench", "step", "--batch", "4", "--size", "8",
                "--in-channels", "1", "--channels", "2", "--cells", "1", "--steps", "1", "--warmup", "0",
                "--threads", "1", "--json").out()).get("zero_weight_fraction_start").asDouble());
    }

    /** Without a usable GPU (CI): one error line naming what is missing (see runtime.cuda.DeviceOptionTest). */
    @Test
    void cudaDeviceWithoutAGpuIsAClearUserError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(archway.runtime.cuda.CudaProbe.whyUnavailable(0).isPresent(),
                "a usable CUDA device is present");
        CliRun r = run("bench", "step", "--device", "cuda", "--steps", "1", "--warmup", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --device cuda:0 is not usable: ") && r.err().strip().lines().count() == 1,
                r.err());
    }

    @Test
    void unavailableAlgorithmIsAClearUserError() {
        CliRun r = run("bench", "step", "--algo", "zo-darts-plus", "--steps", "1", "--warmup", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("zo-darts-plus"), r.err());
    }
}
