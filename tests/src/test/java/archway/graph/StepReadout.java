package archway.graph;

import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.ValueLayout;
import java.util.function.Supplier;

/**
 * Helpers for tests that compare two plans of one training step bit for bit (a plan switch such as
 * -Darchway.plan.fuse or -Darchway.plan.remat on and off): the switch set while a plan is built, and what
 * a step leaves in the parameter store, flattened in entry order.
 */
final class StepReadout {
    private StepReadout() {
    }

    /** One training step of {@code plan}: labels 0, 1, 2, 3, 4, 0, ... for the batch of {@code n}, forward, backward. */
    static void trainOnce(Plan plan, Value labels, int n) {
        for (int i = 0; i < n; i++) {
            CpuBuffer.segment(plan.input(labels)).setAtIndex(ValueLayout.JAVA_INT, i, i % 5);
        }
        plan.forward();
        plan.backward();
    }

    /** Runs {@code body} with the system property {@code name} set to {@code value}, then restores it. */
    static <T> T withProperty(String name, String value, Supplier<T> body) {
        String before = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    /** Every weight gradient of the store, in entry order. */
    static float[] weightGrads(ParamStore p) {
        return flatten(p, false);
    }

    /** Every running statistic (STATE entry) of the store, in entry order. */
    static float[] runningState(ParamStore p) {
        return flatten(p, true);
    }

    private static float[] flatten(ParamStore p, boolean state) {
        java.util.List<float[]> parts = new java.util.ArrayList<>();
        int total = 0;
        for (ParamStore.Entry e : p.entries()) {
            if ((e.kind == ValueKind.STATE) == state) {
                float[] vs = CpuBuffer.segment(state ? p.slice(e) : p.gradSlice(e)).toArray(ValueLayout.JAVA_FLOAT);
                parts.add(vs);
                total += vs.length;
            }
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
