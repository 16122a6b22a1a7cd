package archway.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Trial ids, JSON round trips and the local runner's idempotence and ordering. */
class TrialRunnerTest {
    private static TrialSpec spec(int... genes) {
        return new TrialSpec("flatnas/mbv3", genes, new TrialBudget(2, 500), 7, Map.of("dataset", "fashion-mnist-mini", "lr", "0.1"));
    }

    @Test
    void idIsTheHashOfTheContentAndStableAcrossJson() {
        TrialSpec a = spec(1, 2, 3);
        TrialSpec settingsInOtherOrder = new TrialSpec("flatnas/mbv3", new int[] {1, 2, 3}, new TrialBudget(2, 500), 7,
                new java.util.LinkedHashMap<>(Map.of("lr", "0.1", "dataset", "fashion-mnist-mini")));
        assertEquals(a.id(), settingsInOtherOrder.id());
        assertEquals(64, a.id().length());
        assertNotEquals(a.id(), spec(1, 2, 4).id());
        assertNotEquals(a.id(), new TrialSpec("flatnas/mbv3", new int[] {1, 2, 3}, new TrialBudget(2, 500), 8, a.settings()).id());
        String json = TrialJson.write(a);
        assertEquals("{\"budget\":{\"epochs\":2,\"trainLimit\":500},\"genes\":[1,2,3],\"problem\":\"flatnas/mbv3\","
                + "\"seed\":7,\"settings\":{\"dataset\":\"fashion-mnist-mini\",\"lr\":\"0.1\"}}", json);
        TrialSpec back = TrialJson.readSpec(json);
        assertEquals(a, back);
        assertEquals(a.id(), back.id());
        TrialResult r = TrialResult.ok(a, Map.of("error", 12.5, "flatness", 0.75));
        assertEquals(r, TrialJson.readResult(TrialJson.write(r)));
    }

    @Test
    void runsEachIdOnceAndAnswersInSubmissionOrder() {
        AtomicInteger calls = new AtomicInteger();
        TrialEvaluator eval = s -> {
            calls.incrementAndGet();
            Thread.sleep(5L * (5 - s.genes()[0]));   // later specs finish first
            return Map.of("g", (double) s.genes()[0]);
        };
        try (LocalTrialRunner runner = new LocalTrialRunner(eval, 3)) {
            List<TrialResult> out = runner.runAll(List.of(spec(0), spec(1), spec(2), spec(1), spec(3)));
            assertEquals(List.of(0.0, 1.0, 2.0, 1.0, 3.0), out.stream().map(r -> r.metric("g")).toList());
            assertEquals(4, calls.get());
            runner.runAll(List.of(spec(2), spec(3)));
            assertEquals(4, calls.get(), "a known trial ran again");
        }
    }

    @Test
    void aThrowingTrialFailsAloneWithItsMessage() {
        TrialEvaluator eval = s -> {
            if (s.genes()[0] == 1) {
                throw new IllegalStateException("diverged");
            }
            return Map.of("g", 1.0);
        };
        try (LocalTrialRunner runner = new LocalTrialRunner(eval, 2)) {
            List<TrialResult> out = runner.runAll(List.of(spec(0), spec(1)));
            assertTrue(out.get(0).ok());
            assertEquals(TrialResult.Status.FAILED, out.get(1).status());
            assertTrue(out.get(1).error().contains("diverged"));
        }
    }
}
