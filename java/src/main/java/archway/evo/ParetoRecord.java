package archway.evo;

import archway.report.ParetoHistory;
import archway.report.ParetoHistory.Direction;
import archway.report.ParetoHistory.Iteration;
import archway.report.ParetoHistory.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * A surrogate search's archive, iteration by iteration, as the run report reads it ({@link ParetoHistory},
 * {@code pareto.json}): after iteration k, every admissible member the search had evaluated by then (iteration 0
 * is the initial design). The axes are the two objectives whose front the search reports, so the report's front
 * is the search's.
 */
public final class ParetoRecord {
    private ParetoRecord() {
    }

    /** One objective: its name on the chart, which way is better, and its value for a member. */
    public record Axis(String name, Direction direction, ToDoubleFunction<ArchiveMember> value) {
    }

    /** The history of {@code state}: admissible members with finite objectives, labelled by {@code label}. */
    public static ParetoHistory of(SearchState state, Predicate<ArchiveMember> admissible, Axis x, Axis y,
                                   Function<ArchiveMember, String> label) {
        List<Iteration> iterations = new ArrayList<>();
        for (IterationRecord r : state.history()) {
            List<Point> points = new ArrayList<>();
            for (ArchiveMember m : state.archive()) {
                if (m.iteration() > r.iteration() || !admissible.test(m)) {
                    continue;
                }
                double vx = x.value().applyAsDouble(m), vy = y.value().applyAsDouble(m);
                if (Double.isFinite(vx) && Double.isFinite(vy)) {
                    points.add(new Point(label.apply(m), vx, vy));
                }
            }
            iterations.add(new Iteration(r.iteration(), points));
        }
        return new ParetoHistory(x.name(), y.name(), x.direction(), y.direction(), iterations);
    }
}
