package archway.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.runtime.Backend;
import archway.runtime.cpu.CpuBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Trials on a device backend run on a runner's threads, not on the thread that opened the backend; the CUDA
 * runtime's current device is per thread. Every trial must therefore enter the backend on its own thread right
 * before it runs (a recording backend stands in for CUDA: its enterThread is what cudaSetDevice is there).
 */
class DeviceBoundEvaluatorTest {
    private record Event(long thread, String what) {
    }

    @Test
    void everyTrialEntersTheBackendOnItsOwnThreadFirst() throws Exception {
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Backend cpu = CpuBackend.instance();
        Backend recording = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("enterThread")) {
                        events.add(new Event(Thread.currentThread().threadId(), "enter"));
                        return null;
                    }
                    try {
                        return m.invoke(cpu, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        TrialEvaluator trials = spec -> {
            events.add(new Event(Thread.currentThread().threadId(), "run " + spec.seed()));
            return Map.of("seed", (double) spec.seed());
        };
        List<TrialSpec> specs = new ArrayList<>();
        for (long seed = 1; seed <= 6; seed++) {
            specs.add(new TrialSpec("test", new int[] {1, 2}, new TrialBudget(1, 0), seed, Map.of()));
        }
        List<TrialResult> results;
        try (LocalTrialRunner runner = new LocalTrialRunner(new DeviceBoundEvaluator(trials, recording), 2)) {
            results = runner.runAll(specs);
        }
        assertEquals(6, results.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1.0, results.get(i).metrics().get("seed"), 0);
        }
        long self = Thread.currentThread().threadId();  // the runner's threads all share one name
        List<Event> seen = List.copyOf(events);
        assertEquals(12, seen.size(), seen.toString());
        for (int i = 0; i < seen.size(); i++) {
            Event e = seen.get(i);
            assertNotEquals(self, e.thread(), "trials run on the runner's threads");
            if (e.what().startsWith("run")) {
                Event before = null;
                for (int j = i - 1; j >= 0 && before == null; j--) {
                    if (seen.get(j).thread() == e.thread()) {
                        before = seen.get(j);
                    }
                }
                assertTrue(before != null && before.what().equals("enter"),
                        e + " was not preceded on its thread by entering the backend: " + seen);
            }
        }
    }
}
