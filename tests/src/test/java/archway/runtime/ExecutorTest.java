package archway.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.Plan;
import archway.graph.Value;
import archway.graph.ValueKind;
import archway.graph.Workspace;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.nn.Layers;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The executor's step loop and guards, and the kernel names a bound plan exposes. */
class ExecutorTest {
    /** A step that records its name when it runs. */
    private record Recording(String kernel, List<String> log) implements BoundStep {
        public void run() { log.add(kernel); }
    }

    @Test
    void runsStepsInOrderAndSkipsThoseWhoseGuardWeightIsExactlyZero() {
        try (BufferArena arena = Backends.standard().arena()) {
            Buffer weights = arena.allocate(3);
            weights.write(0, new float[] {0.5f, 0f, -0f});
            List<String> log = new ArrayList<>();
            BoundStep[] steps = {new Recording("a", log), new Recording("b", log), new Recording("c", log),
                    new Recording("d", log), new Recording("e", log)};
            Executor ex = new Executor(steps, new long[] {-1, 0, 1, 2, -1}, weights, false);
            ex.run(0, ex.size());
            assertEquals(List.of("a", "b", "e"), log);
            log.clear();
            ex.run(1, 4);
            assertEquals(List.of("b"), log);
            weights.set(1, 1e-30f);
            log.clear();
            ex.run(0, ex.size());
            assertEquals(List.of("a", "b", "c", "e"), log);
            assertEquals(null, ex.stepNanos(), "no timings unless profiling");
        }
    }

    @Test
    void profilingTimesEveryStepThatRan() {
        try (BufferArena arena = Backends.standard().arena()) {
            Buffer weights = arena.allocate(1);
            List<String> log = new ArrayList<>();
            BoundStep slow = new BoundStep() {
                public String kernel() { return "slow"; }

                public void run() {
                    long t = System.nanoTime();
                    while (System.nanoTime() - t < 1_000_000) {
                        Thread.onSpinWait();
                    }
                }
            };
            Executor ex = new Executor(new BoundStep[] {slow, new Recording("skipped", log)}, new long[] {-1, 0},
                    weights, true);
            ex.run(0, 2);
            long[] nanos = ex.stepNanos();
            assertTrue(nanos[0] >= 1_000_000, "the slow step's time is recorded");
            assertEquals(0, nanos[1], "a skipped step has no time");
            assertEquals(List.of(), log);
        }
    }

    @Test
    void rejectsGuardsOutsideTheWeightBuffer() {
        try (BufferArena arena = Backends.standard().arena()) {
            Buffer weights = arena.allocate(2);
            BoundStep[] one = {new Recording("a", new ArrayList<>())};
            assertThrows(IllegalArgumentException.class, () -> new Executor(one, new long[] {2}, weights, false));
            assertThrows(IllegalArgumentException.class, () -> new Executor(one, new long[] {0}, null, false));
            assertThrows(IllegalArgumentException.class, () -> new Executor(one, new long[0], weights, false));
        }
    }

    @Test
    void aBoundPlanNamesTheKernelsItRuns() {
        try (ParamStore p = new ParamStore(1); Workspace ws = new Workspace()) {
            Graph g = new Graph(p);
            Value x = g.input("x", 2, 1, 4, 4);
            Value logits = Layers.linear(g, "fc", Layers.globalAvgPool(g, "gap", Layers.conv(g, "c", x, 3, 3, 1, 1, 1, 1)), 2);
            SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, g.labels(2));
            try (Plan plan = Plan.build(g, ws, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT))) {
                assertEquals(List.of("conv2d_fwd", "global_avgpool_fwd", "linear_fwd", "softmax_xent_fwd",
                        "softmax_xent_bwd", "linear_bwd", "global_avgpool_bwd", "conv2d_bwd_filter"),
                        plan.boundKernels());
            }
        }
    }
}
