package archway.flatnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.UserError;
import archway.evo.Nsga2;
import archway.evo.SearchSettings;
import archway.report.ParetoHistory;
import archway.report.RunRecord;
import archway.report.RunReport;
import archway.run.RunDirectory;
import archway.run.RunStart;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.LocalTrialRunner;
import archway.trial.TrialBudget;
import archway.trial.TrialEvaluator;
import archway.trial.TrialSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FlatNAS run folder on a synthetic trial (error and flatness computed from the genes, no training): files,
 * the front within the parameter limit, and resume after a stop giving the archive of an uninterrupted run.
 */
class FlatnasRunTest {
    private static final Mbv3GeneSpace SPACE = new Mbv3GeneSpace(List.of());
    /** Between the smallest and the largest subnet, so that some genomes are infeasible. */
    private static final long LIMIT = 3_500_000;

    /** Larger kernels and expand ratios lower the error and raise R; a seeded wobble stands for training noise. */
    static Map<String, Double> synthetic(TrialSpec spec) {
        int[] g = spec.genes();
        double size = 0;
        for (int v : g) {
            size += v;
        }
        double wobble = new java.util.SplittableRandom(spec.seed() ^ java.util.Arrays.hashCode(g)).nextDouble();
        return Map.of(FlatnasMetrics.ERROR, 30 - 0.2 * size + wobble, FlatnasMetrics.FLATNESS, 0.5 + 0.01 * size + 0.1 * wobble);
    }

    private static Map<String, Object> run(Path dir, int iterations, boolean resume, PrintStream log) {
        return run(dir, iterations, resume, log, Map.of("dataset", "synthetic", "params_max", LIMIT),
                FlatnasRunTest::synthetic);
    }

    private static Map<String, Object> run(Path dir, int iterations, boolean resume, PrintStream log,
                                           Map<String, Object> config, TrialEvaluator evaluator) {
        FlatnasProblem problem = new FlatnasProblem(SPACE, 1, 28, 10, LIMIT, 0.5, new TrialBudget(1, 100), 5,
                Map.of("dataset", "synthetic"), SyntheticFlatnas.KIND);
        SearchSettings settings = new SearchSettings(12, iterations, 3, new Nsga2.Settings(12, 4, 0.9, 20), 10, 5);
        RunStart start = resume ? RunStart.RESUME : RunStart.NEW;
        try (LocalTrialRunner runner = new LocalTrialRunner(evaluator, 1);
             RunDirectory rd = RunDirectory.open(dir, start, log)) {
            return new FlatnasRun(problem, settings, config, rd, log)
                    .run(runner, start, FlatnasRun.FrontMetrics.perMember(genes -> Map.of("mce", 42.0)));
        }
    }

    @Test
    void writesStateMetricsResultAndChartAndKeepsTheFrontUnderTheLimit(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(dir, 2, false, new PrintStream(out, true, StandardCharsets.UTF_8));
        String log = out.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("iter 1/2  archive 15  hv "), log);
        assertTrue(log.contains("iter 2/2  archive 18"), log);
        for (String f : List.of(FlatnasRun.CONFIG, "checkpoint.bin", "checkpoint.prev.bin", FlatnasRun.TRIALS,
                FlatnasRun.RESULT, FlatnasRun.PARETO, "metrics.jsonl")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
        assertEquals(18, Files.readAllLines(dir.resolve(FlatnasRun.TRIALS)).size());
        JsonNode result = new ObjectMapper().readTree(dir.resolve(FlatnasRun.RESULT).toFile());
        assertEquals(18, result.get("archive").size());
        JsonNode front = result.get("front");
        assertTrue(front.size() >= 1);
        for (JsonNode m : front) {
            long params = m.get("params").asLong();
            assertTrue(params <= LIMIT, "front member over the limit: " + params);
            int[] genes = new ObjectMapper().convertValue(m.get("genes"), int[].class);
            assertEquals(Mbv3Count.of(SPACE.decode(genes), 1, 28, 10).params(), params);
            assertEquals(42.0, m.get("mce").asDouble());
            assertTrue(m.get("arch").asText().startsWith("{\"ks\":["));
        }
        // pareto.json, what the run report draws: one archive per iteration (0 = the initial design), feasible
        // members only, and its final front is result.json's front.
        ParetoHistory h = ParetoHistory.read(dir.resolve(ParetoHistory.FILE));
        assertEquals(List.of(0, 1, 2), h.iterations().stream().map(ParetoHistory.Iteration::iteration).toList());
        assertEquals(List.of(12, 15, 18), h.iterations().stream().map(i -> i.archive().size() + infeasible(result, i.iteration()))
                .toList(), "every member evaluated by each iteration, feasible ones in pareto.json");
        assertTrue(h.iterations().getLast().archive().stream().allMatch(p -> p.x() <= LIMIT));
        List<String> frontArchs = new java.util.ArrayList<>();
        front.forEach(m -> frontArchs.add(m.get("arch").asText()));
        assertEquals(frontArchs, h.finalFront().stream().map(ParetoHistory.Point::label).toList());
        for (int j = 0; j < front.size(); j++) {
            assertEquals(front.get(j).get("objective").asDouble(), h.finalFront().get(j).y(), 1e-12);
            assertEquals(front.get(j).get("params").asDouble(), h.finalFront().get(j).x(), 0);
        }

        // The run report counts iterations, draws the archive and lists the front members with their headline
        // numbers only (no per-corruption columns, no genes), and keeps lists out of the scalar section.
        String html = RunReport.html(RunRecord.load(dir), false);
        assertTrue(html.contains("finished: initial design and 2 iterations"), "status");
        assertTrue(html.contains("<h2>Per iteration</h2>") && !html.contains("<h2>Per epoch</h2>"));
        assertTrue(html.contains("<h2>Pareto front</h2>") && html.contains("<h2>Front members</h2>"));
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "archive and sizes charts");
        String members = html.substring(html.indexOf("<h2>Front members</h2>"), html.indexOf("<h2>Per iteration</h2>"));
        assertEquals(front.size() + 1, members.split("<tr>", -1).length - 1, "a header and one row per member");
        assertTrue(members.contains("<th>error</th>") && members.contains("<th>mce</th>"), members);
        assertFalse(members.contains("<th>genes</th>") || members.contains("<th>mce_"), members);
        String scalars = html.substring(html.indexOf("result.json (scalar fields)"));
        assertFalse(scalars.contains(">archive<") || scalars.contains(">front<"), "lists are not scalar fields");
    }

    /** Archive members of result.json over the parameter limit, evaluated by iteration {@code k}. */
    private static int infeasible(JsonNode result, int k) {
        int n = 0;
        for (JsonNode m : result.get("archive")) {
            n += m.get("iteration").asInt() <= k && m.get("params").asLong() > LIMIT ? 1 : 0;
        }
        return n;
    }

    @Test
    void resumeAfterAStopEndsWithTheArchiveOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, Object> straight = run(dir.resolve("straight"), 2, false, quiet);
        run(dir.resolve("stopped"), 1, false, quiet);   // as if killed after iteration 1
        UserError e = assertThrows(UserError.class, () -> run(dir.resolve("stopped"), 2, true, quiet,
                Map.of("dataset", "synthetic", "params_max", 1L), FlatnasRunTest::synthetic));
        assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
        Map<String, Object> resumed = run(dir.resolve("stopped"), 2, true, quiet);
        assertEquals(fingerprint(straight, "archive"), fingerprint(resumed, "archive"));
        assertEquals(fingerprint(straight, "front"), fingerprint(resumed, "front"));
        assertEquals(3, Files.readAllLines(dir.resolve("stopped").resolve("metrics.jsonl")).size());
    }

    /** Thrown by the evaluator to stop a run in the middle of a batch, as a kill would. */
    private static final class Killed extends Error {
        Killed() {
            super("simulated kill");
        }
    }

    @Test
    void aRunStoppedMidIterationResumesWithoutRepeatingFinishedTrials(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, Object> config = Map.of("dataset", "synthetic", "params_max", LIMIT);
        Map<String, Object> straight = run(dir.resolve("straight"), 2, false, quiet);
        // 12 initial trials, then 3 per iteration: the 14th trial is the second of iteration 1.
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> run(dir.resolve("stopped"), 2, false, quiet, config, spec -> {
            if (calls.incrementAndGet() == 14) {
                throw new Killed();
            }
            return synthetic(spec);
        }));
        assertEquals(13, Files.readAllLines(dir.resolve("stopped").resolve(FlatnasRun.TRIALS)).size());
        AtomicInteger resumedCalls = new AtomicInteger();
        Map<String, Object> resumed = run(dir.resolve("stopped"), 2, true, quiet, config, spec -> {
            resumedCalls.incrementAndGet();
            return synthetic(spec);
        });
        assertEquals(18 - 13, resumedCalls.get(), "trials on file ran again");
        assertEquals(fingerprint(straight, "archive"), fingerprint(resumed, "archive"));
        assertEquals(fingerprint(straight, "front"), fingerprint(resumed, "front"));
    }

    @Test
    void aNewRunRefusesADirectoryHoldingARunAndResumeNeedsOne(@TempDir Path dir) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        run(dir, 0, false, quiet);
        UserError again = assertThrows(UserError.class, () -> run(dir, 0, false, quiet));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
        UserError none = assertThrows(UserError.class, () -> run(dir.resolve("empty"), 0, true, quiet));
        assertTrue(none.getMessage().contains("--resume"), none.getMessage());
    }

    /** Trial id, error and objective of each member of a result list, in order. */
    @SuppressWarnings("unchecked")
    private static List<String> fingerprint(Map<String, Object> result, String list) {
        return ((List<Map<String, Object>>) result.get(list)).stream()
                .map(m -> m.get("trial") + " " + m.get("error") + " " + m.get("objective")).toList();
    }

    @Test
    void theLargestSubnetIsOverTheLimitAndTheSmallestUnder() {
        assertTrue(Mbv3Count.of(Mbv3Arch.largest(), 1, 28, 10).params() > LIMIT);
        assertTrue(Mbv3Count.of(Mbv3Arch.smallest(), 1, 28, 10).params() < LIMIT);
    }
}
