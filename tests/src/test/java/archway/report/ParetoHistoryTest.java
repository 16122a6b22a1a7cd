package archway.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.UserError;
import archway.report.ParetoHistory.Direction;
import archway.report.ParetoHistory.Iteration;
import archway.report.ParetoHistory.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FlatNAS/NACHOS record: fronts by hand, sizes by iteration, the archive chart's groups, JSON round trip. */
class ParetoHistoryTest {
    static final Point A = new Point("a", 1, 5), B = new Point("b", 2, 3), C = new Point("c", 3, 4), D = new Point("d", 4, 1),
            E = new Point("e", 2, 3.5);

    static ParetoHistory history() {
        return new ParetoHistory("parameters", "error %", Direction.MINIMISE, Direction.MINIMISE,
                List.of(new Iteration(1, List.of(A, C)), new Iteration(2, List.of(A, C, E)), new Iteration(3, List.of(A, B, C, D, E))));
    }

    @Test
    void frontKeepsExactlyTheNonDominatedPoints() {
        // Minimising both: C (3,4) is dominated by B (2,3), E (2,3.5) by B; A, B, D remain, sorted by x.
        Point twin = new Point("b again", 2, 3);
        assertEquals(List.of(A, B, D), ParetoHistory.front(List.of(C, D, B, A, E, twin), Direction.MINIMISE, Direction.MINIMISE),
                "a point with B's values is kept once");
        // Smallest x and largest y at once: A beats every other point.
        assertEquals(List.of(A), ParetoHistory.front(List.of(A, B, C, D, E), Direction.MINIMISE, Direction.MAXIMISE));
        // Maximising both: D has the largest x, A the largest y, C (3,4) is beaten by neither; C beats B and E.
        assertEquals(List.of(A, C, D), ParetoHistory.front(List.of(A, B, C, D, E), Direction.MAXIMISE, Direction.MAXIMISE));
    }

    @Test
    void sizesAndFinalFrontByIteration() {
        ParetoHistory h = history();
        assertEquals(List.of(A, B, D), h.finalFront());
        int[][] s = h.sizes();
        assertArrayEquals(new int[] {1, 2, 2}, s[0], "A and C are both on the front of {A, C}");
        assertArrayEquals(new int[] {2, 3, 2}, s[1], "E dominates C");
        assertArrayEquals(new int[] {3, 5, 3}, s[2]);
    }

    @Test
    void archiveChartColoursPointsByTheIterationThatAddedThem() {
        LineChart c = ParetoCharts.archive(history());
        assertEquals(List.of("added at iteration 1", "added at iteration 2", "added at iteration 3", "Pareto front"),
                c.series().stream().map(LineChart.Series::name).toList());
        assertArrayEquals(new double[] {1, 3}, c.series().get(0).x(), 0);
        assertArrayEquals(new double[] {2}, c.series().get(1).x(), 0);
        assertArrayEquals(new double[] {2, 4}, c.series().get(2).x(), 0);
        assertArrayEquals(new double[] {5, 3, 1}, c.series().get(3).y(), 0);
        LineChart sizes = ParetoCharts.sizes(history());
        assertArrayEquals(new double[] {2, 3, 5}, sizes.series().get(0).y(), 0);
    }

    @Test
    void longSearchesAreGroupedIntoAtMostSixColours() {
        List<Iteration> its = new java.util.ArrayList<>();
        List<Point> archive = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            archive.add(new Point("p" + i, i, 100 - i));
            its.add(new Iteration(i, archive));
        }
        LineChart c = ParetoCharts.archive(new ParetoHistory("x", "y", Direction.MINIMISE, Direction.MINIMISE, its));
        // 20 iterations in groups of ceil(20 / 6) = 4: five colours, then the front.
        assertEquals(5 + 1, c.series().size());
        assertEquals("added at iterations 1-4", c.series().getFirst().name());
        assertEquals(4, c.series().getFirst().x().length);
        assertEquals(20, c.series().stream().limit(5).mapToInt(s -> s.x().length).sum(), "every point in one group");
    }

    @Test
    void jsonRoundTripAndBadFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve(ParetoHistory.FILE);
        history().write(f);
        assertEquals(history(), ParetoHistory.read(f));
        Files.writeString(f, "{\"xName\": \"x\"}");
        assertThrows(UserError.class, () -> ParetoHistory.read(f));
    }
}
