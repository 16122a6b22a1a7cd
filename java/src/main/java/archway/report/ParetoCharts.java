package archway.report;

import archway.report.LineChart.Series;
import archway.report.LineChart.Style;
import archway.report.ParetoHistory.Point;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pictures of a multi-objective search (pure data; {@link LineChartPicture} draws them): the archive with
 * each point coloured by the iteration group that added it and the final Pareto front as a line, and the
 * archive and front sizes by iteration.
 */
public final class ParetoCharts {
    /** At most this many iteration groups get their own colour (a long search is cut into equal groups). */
    static final int GROUPS = 6;

    private ParetoCharts() {
    }

    /**
     * The archive by the iterations that added its points (a point is added at the first iteration whose
     * archive holds it), in at most {@link #GROUPS} groups, then the final front.
     */
    public static LineChart archive(ParetoHistory h) {
        List<Series> series = new ArrayList<>();
        int n = h.iterations().size(), per = Math.max(1, (n + GROUPS - 1) / GROUPS);
        Set<Point> seen = new HashSet<>();
        for (int start = 0; start < n; start += per) {
            int end = Math.min(n, start + per);
            List<Point> added = new ArrayList<>();
            for (int i = start; i < end; i++) {
                for (Point p : h.iterations().get(i).archive()) {
                    if (seen.add(p)) {
                        added.add(p);
                    }
                }
            }
            int first = h.iterations().get(start).iteration(), last = h.iterations().get(end - 1).iteration();
            String name = first == last ? "added at iteration " + first : "added at iterations " + first + "-" + last;
            series.add(new Series(name, added.stream().mapToDouble(Point::x).toArray(),
                    added.stream().mapToDouble(Point::y).toArray(), Style.MARKERS));
        }
        List<Point> front = h.finalFront();
        series.add(new Series("Pareto front", front.stream().mapToDouble(Point::x).toArray(),
                front.stream().mapToDouble(Point::y).toArray(), Style.LINE));
        return new LineChart("Archive and Pareto front (" + word(h.x()) + " " + h.xName() + ", " + word(h.y()) + " "
                + h.yName() + ")", h.xName(), h.yName(), series);
    }

    /** Archive size and front size per iteration. */
    public static LineChart sizes(ParetoHistory h) {
        int[][] s = h.sizes();
        double[] it = new double[s.length], archive = new double[s.length], front = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            it[i] = s[i][0];
            archive[i] = s[i][1];
            front[i] = s[i][2];
        }
        return new LineChart("Archive by iteration", "iteration", "architectures", List.of(
                new Series("archive", it, archive, Style.LINE), new Series("on the front", it, front, Style.LINE)));
    }

    private static String word(ParetoHistory.Direction d) {
        return d == ParetoHistory.Direction.MINIMISE ? "min" : "max";
    }
}
