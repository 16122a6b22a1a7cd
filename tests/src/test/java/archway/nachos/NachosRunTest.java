package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.evo.Nsga2;
import archway.evo.SearchSettings;
import archway.report.ParetoHistory;
import archway.run.RunDirectory;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.LocalTrialRunner;
import archway.trial.TrialBudget;
import archway.trial.TrialEvaluator;
import archway.trial.TrialJson;
import archway.trial.TrialSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NACHOS run folder on a synthetic trial (metrics computed from the genes, no training): the admissible set
 * keeps to the MACs budget and is the non-dominated part of the feasible archive, each member names its weights
 * and spec; resume after a stop ends with the archive of an uninterrupted run.
 */
class NachosRunTest {
    private static final NachosGeneSpace SPACE = new NachosGeneSpace(new Mbv3GeneSpace(List.of()));
    private static final double BUDGET = 5e6;

    /** Expected MACs and error from the genes: bigger networks cost more and err less; early exits save MACs. */
    static Map<String, Double> synthetic(TrialSpec spec) {
        NachosGeneSpace.Decoded d = SPACE.decode(spec.genes());
        EarlyExitNetwork net = EarlyExitNetwork.of(d.arch(), d.exits(), 1, 28, 10);
        double[] e = net.costs().perExit();
        double wobble = new java.util.SplittableRandom(spec.seed() ^ java.util.Arrays.hashCode(spec.genes())).nextDouble();
        double macs = 0.5 * e[0] + 0.5 * e[e.length - 1];
        Map<String, Double> m = new HashMap<>();
        m.put(NachosMetrics.ERROR, 40 - 3e-6 * e[e.length - 1] + wobble);
        m.put(NachosMetrics.MACS, macs);
        m.put(NachosMetrics.EXITS, (double) e.length);
        for (int j = 0; j < e.length; j++) {
            m.put(NachosMetrics.exit(j, "threshold"), j < e.length - 1 ? 0.7 : 0.0);
        }
        return m;
    }

    private static Map<String, Object> run(Path dir, int iterations, boolean resume) throws Exception {
        return run(dir, iterations, resume, NachosRunTest::synthetic, 2,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static Map<String, Object> run(Path dir, int iterations, boolean resume, TrialEvaluator trials, int slots,
                                           PrintStream log) throws Exception {
        Files.createDirectories(dir);
        NachosProblem problem = new NachosProblem(SPACE, BUDGET, new TrialBudget(1, 100), 3, Map.of("dataset", "synthetic"));
        SearchSettings settings = new SearchSettings(10, iterations, 3, new Nsga2.Settings(12, 4, 0.9, 20), 10, 3);
        PrintStream quiet = log;
        NachosRun.MemberWeights stub = (spec, file) -> {
            Files.createDirectories(file.getParent());
            Files.writeString(file, spec.id());
        };
        try (LocalTrialRunner runner = new LocalTrialRunner(trials, slots)) {
            return new NachosRun(problem, settings, Map.of("dataset", "synthetic", "macs_max", BUDGET),
                    new RunDirectory(dir), quiet, stub).run(runner, resume);
        }
    }

    @Test
    void theAdmissibleSetKeepsToTheBudgetAndNamesWeightsAndSpecs(@TempDir Path dir) throws Exception {
        run(dir, 2, false);
        for (String f : List.of(NachosRun.CONFIG, NachosRun.STATE, NachosRun.RESULT, NachosRun.PARETO, "metrics.jsonl")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        JsonNode result = new ObjectMapper().readTree(dir.resolve(NachosRun.RESULT).toFile());
        assertEquals(16, result.get("archive").size());
        JsonNode front = result.get("front");
        assertTrue(front.size() >= 1);
        int feasible = 0;
        for (JsonNode m : result.get("archive")) {
            feasible += m.get(NachosMetrics.MACS).asDouble() <= BUDGET ? 1 : 0;
        }
        assertTrue(feasible > front.size() - 1 && feasible < 16, "some members must be over the budget: " + feasible);
        double previousMacs = -1;
        double previousError = Double.MAX_VALUE;
        for (JsonNode m : front) {
            double macs = m.get(NachosMetrics.MACS).asDouble();
            assertTrue(macs <= BUDGET, "admissible member over the budget: " + macs);
            assertTrue(macs >= previousMacs && m.get(NachosMetrics.ERROR).asDouble() < previousError,
                    "sorted by MACs, each costlier member errs less");
            previousMacs = macs;
            previousError = m.get(NachosMetrics.ERROR).asDouble();
            TrialSpec spec = TrialJson.readSpec(m.get("spec").asText());
            assertEquals(m.get("trial").asText(), spec.id());
            assertEquals(spec.id(), Files.readString(dir.resolve(m.get("weights").asText())));
            assertEquals(m.get("exits").asInt() - 1, m.get("thresholds").size());
        }
        // pareto.json: admissible members on (expected MACs, error), its final front that of result.json.
        ParetoHistory h = ParetoHistory.read(dir.resolve(ParetoHistory.FILE));
        assertEquals(feasible, h.iterations().getLast().archive().size());
        List<ParetoHistory.Point> last = h.finalFront();
        assertEquals(front.size(), last.size());
        for (int j = 0; j < front.size(); j++) {
            assertEquals(front.get(j).get(NachosMetrics.MACS).asDouble(), last.get(j).x(), 0);
            assertEquals(front.get(j).get(NachosMetrics.ERROR).asDouble(), last.get(j).y(), 0);
            assertTrue(last.get(j).label().startsWith(front.get(j).get("arch").asText() + " exits after stages "),
                    last.get(j).label());
        }
    }

    @Test
    void resumeAfterAStopEndsWithTheArchiveOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Map<String, Object> straight = run(dir.resolve("straight"), 2, false);
        run(dir.resolve("stopped"), 1, false);
        Map<String, Object> resumed = run(dir.resolve("stopped"), 2, true);
        assertEquals(fingerprint(straight, "archive"), fingerprint(resumed, "archive"));
        assertEquals(fingerprint(straight, "front"), fingerprint(resumed, "front"));
    }

    /** Thrown by the evaluator to stop a run in the middle of a batch, as a kill would. */
    private static final class Killed extends Error {
        Killed() {
            super("simulated kill");
        }
    }

    @Test
    void aRunStoppedInTheInitialDesignResumesWithoutRepeatingFinishedTrials(@TempDir Path dir) throws Exception {
        Map<String, Object> straight = run(dir.resolve("straight"), 2, false);
        // 10 initial trials: the 7th stops the run before the initial design is done (no search state yet).
        AtomicInteger calls = new AtomicInteger();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThrows(IllegalStateException.class, () -> run(dir.resolve("stopped"), 2, false, spec -> {
            if (calls.incrementAndGet() == 7) {
                throw new Killed();
            }
            return synthetic(spec);
        }, 1, new PrintStream(log, true, StandardCharsets.UTF_8)));
        assertEquals(6, Files.readAllLines(dir.resolve("stopped").resolve(NachosRun.TRIALS)).size());
        assertFalse(Files.exists(dir.resolve("stopped").resolve(NachosRun.STATE)), "stopped inside the initial design");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  trial 1/10 ") && text.contains("  trial 6/10 ") && text.contains(" left)"), text);

        AtomicInteger resumedCalls = new AtomicInteger();
        Map<String, Object> resumed = run(dir.resolve("stopped"), 2, true, spec -> {
            resumedCalls.incrementAndGet();
            return synthetic(spec);
        }, 1, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(16 - 6, resumedCalls.get(), "trials on file ran again");
        assertEquals(fingerprint(straight, "archive"), fingerprint(resumed, "archive"));
        assertEquals(fingerprint(straight, "front"), fingerprint(resumed, "front"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> fingerprint(Map<String, Object> result, String list) {
        return ((List<Map<String, Object>>) result.get(list)).stream()
                .map(m -> m.get("trial") + " " + m.get("error") + " " + m.get("macs_expected")).toList();
    }
}
