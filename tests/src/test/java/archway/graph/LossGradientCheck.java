package archway.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Central differences of a plan's loss against the analytic gradient of one input tensor. */
final class LossGradientCheck {
    private LossGradientCheck() {
    }

    /**
     * For every entry i of {@code xs}: (loss(x + h e_i) - loss(x - h e_i)) / 2h, each by a forward run,
     * within 2e-4 + 2% of {@code analytic[i]}; xs is restored after each entry.
     */
    static void assertMatchesFiniteDifferences(Plan plan, Value loss, MemorySegment xs, double[] analytic, double h) {
        for (int i = 0; i < analytic.length; i++) {
            float orig = xs.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            xs.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (orig + h));
            plan.forward();
            double up = plan.scalar(loss);
            xs.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (orig - h));
            plan.forward();
            double down = plan.scalar(loss);
            xs.setAtIndex(ValueLayout.JAVA_FLOAT, i, orig);
            double numeric = (up - down) / (2 * h);
            assertTrue(Math.abs(numeric - analytic[i]) <= 2e-4 + 2e-2 * Math.abs(numeric),
                    "dL/dx[" + i + "]: analytic " + analytic[i] + " vs finite difference " + numeric);
        }
    }
}
