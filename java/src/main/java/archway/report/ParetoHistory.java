package archway.report;

import archway.UserError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The archive of a multi-objective search (FlatNAS, NACHOS) by iteration: what the report draws as the
 * Pareto front and the archive's growth. FlatNAS and NACHOS write it as {@code pareto.json} in their run directory
 * after every iteration ({@code archway.evo.ParetoRecord}); {@code nas report} picks it up. Format (docs/REPORT.md):
 *
 * <pre>{@code
 * {"xName": "parameters", "yName": "objective 1", "x": "MINIMISE", "y": "MINIMISE",
 *  "iterations": [{"iteration": 0, "archive": [{"label": "{\"ks\":[3,5,...],...}", "x": 2.1e6, "y": 45.3}, ...]}, ...]}
 * }</pre>
 *
 * Each iteration lists the whole archive after that iteration (not only what was added).
 */
public record ParetoHistory(String xName, String yName, Direction x, Direction y, List<Iteration> iterations) {
    public static final String FILE = "pareto.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Whether an objective is better small or large. */
    public enum Direction {
        MINIMISE, MAXIMISE;

        /** True when a is at least as good as b. */
        boolean atLeastAsGood(double a, double b) {
            return this == MINIMISE ? a <= b : a >= b;
        }
    }

    /** One evaluated architecture: its label (genotype) and its two objective values. */
    public record Point(String label, double x, double y) {
    }

    /** The archive after iteration {@code iteration}, numbered as the search counts (0: the initial design). */
    public record Iteration(int iteration, List<Point> archive) {
        public Iteration {
            archive = List.copyOf(archive);
        }
    }

    public ParetoHistory {
        if (x == null || y == null || xName == null || yName == null) {
            throw new IllegalArgumentException("pareto history: xName, yName, x and y are required");
        }
        iterations = List.copyOf(iterations);
    }

    /**
     * The non-dominated points of {@code points}: no other point is at least as good in both objectives and
     * better in one. Sorted by x (then y); duplicates of a front point are kept once.
     */
    public static List<Point> front(List<Point> points, Direction dx, Direction dy) {
        List<Point> out = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = false;
            for (Point q : points) {
                boolean weakly = dx.atLeastAsGood(q.x(), p.x()) && dy.atLeastAsGood(q.y(), p.y());
                boolean strictly = q.x() != p.x() || q.y() != p.y();
                if (weakly && strictly) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated && out.stream().noneMatch(o -> o.x() == p.x() && o.y() == p.y())) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingDouble(Point::x).thenComparingDouble(Point::y));
        return out;
    }

    /** The front of the last iteration's archive (empty without iterations). */
    public List<Point> finalFront() {
        return iterations.isEmpty() ? List.of() : front(iterations.getLast().archive(), x, y);
    }

    /** Per iteration: archive size and front size, as {iteration, archive, front} rows. */
    public int[][] sizes() {
        int[][] out = new int[iterations.size()][];
        for (int i = 0; i < out.length; i++) {
            Iteration it = iterations.get(i);
            out[i] = new int[] {it.iteration(), it.archive().size(), front(it.archive(), x, y).size()};
        }
        return out;
    }

    public void write(Path file) {
        try {
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static ParetoHistory read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ParetoHistory.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(file + " is not a pareto history (see docs/REPORT.md): " + e.getMessage(), e);
        }
    }
}
