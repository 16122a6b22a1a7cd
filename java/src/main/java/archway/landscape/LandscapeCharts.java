package archway.landscape;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of the landscape analyses (XChart, rendered off-screen). */
public final class LandscapeCharts {
    private static final Color[] BAND_COLOURS = {
        new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0xe7298a), new Color(0x66a61e)};
    private static final Color ALL_COLOUR = new Color(0x555555);
    private static final int PANEL_W = 760, PANEL_H = 420, WIDE_W = 1100, WIDE_H = 380;

    private LandscapeCharts() {
    }

    /**
     * One panel per analysis (typically radius 1, 2, 3 side by side): the share of neighbours per 1-point
     * accuracy bin for each band and for all architectures. Shares, not counts, because the bands hold a
     * few hundred architectures and "all" holds 15,625.
     */
    public static void neighbourHistograms(List<NeighbourAnalysis> analyses, Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (NeighbourAnalysis an : analyses) {
            XYChart c = base("Neighbours at radius " + an.radius() + " (" + an.dataset().label() + ")",
                    "neighbour test accuracy (%)", "share of neighbours", WIDE_W, WIDE_H);
            c.getStyler().setXAxisTickMarkSpacingHint(70);
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            int k = 0;
            for (BandNeighbours b : an.bands()) {
                addHistogram(c, b, BAND_COLOURS[k++ % BAND_COLOURS.length], false);
            }
            addHistogram(c, an.all(), ALL_COLOUR, true);
            charts.add(c);
        }
        // Stacked vertically: one wide panel per radius keeps the 1-point bins readable.
        save(charts, charts.size(), 1, png);
    }

    private static void addHistogram(XYChart c, BandNeighbours b, Color colour, boolean dashed) {
        Histogram h = b.histogram();
        double[] f = h.fractions();
        // Step series need the closing edge of the last bin, hence one extra point.
        double[] x = new double[f.length + 1];
        double[] y = new double[f.length + 1];
        for (int i = 0; i <= f.length; i++) {
            x[i] = h.lo() + i * h.binWidth();
            y[i] = f[Math.min(i, f.length - 1)];
        }
        String label = b.band().equals("all")
                ? "all 15,625"
                : b.band() + " [" + b.lo() + "," + b.hi() + "] n=" + b.architectures();
        if (b.architectures() > 0) {
            label += String.format(" mean %.1f sd %.1f", b.neighbours().mean(), b.neighbours().std());
        }
        XYSeries s = c.addSeries(label, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(2f));
    }

    /** Accuracy along the shortest paths of one pair: mean with a ±1 std band, the min/max envelope and the best path. */
    public static void pathProfile(PathResult r, Path png) throws IOException {
        XYChart c = base(String.format("%s %d -> %d: d=%d, %d paths, barrier best %.2f mean %.2f", r.dataset().label(),
                r.fromIndex(), r.toIndex(), r.distance(), r.pathCount(), r.bestBarrier(), r.meanBarrier()),
                "step (edges changed)", "test accuracy (%)");
        double[] x = IntStream.rangeClosed(0, r.distance()).asDoubleStream().toArray();
        double[] lo = new double[x.length], hi = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            lo[k] = r.stepMean()[k] - r.stepStd()[k];
            hi[k] = r.stepMean()[k] + r.stepStd()[k];
        }
        line(c, "max over paths", x, r.stepMax(), new Color(0x9ecae1), true);
        line(c, "mean + sd", x, hi, new Color(0x3182bd), true);
        line(c, "mean over paths", x, r.stepMean(), new Color(0x08519c), false);
        line(c, "mean - sd", x, lo, new Color(0x3182bd), true);
        line(c, "min over paths", x, r.stepMin(), new Color(0x9ecae1), true);
        line(c, "best path", x, r.bestPathAccuracy(), new Color(0xd95f02), false);
        save(List.of(c), 1, 1, png);
    }

    /** Mean profile of every pair of a set, one line each, on one chart (at most 20 pairs are drawn). */
    public static void pairProfiles(PairSetResult set, String title, Path png) throws IOException {
        XYChart c = base(title, "step (edges changed)", "mean test accuracy over paths (%)");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int k = 0;
        for (PathResult r : set.pairs()) {
            if (k == 20) {
                break;
            }
            double[] x = IntStream.rangeClosed(0, r.distance()).asDoubleStream().toArray();
            XYSeries s = c.addSeries(String.format("%d->%d d=%d best barrier %.2f", r.fromIndex(), r.toIndex(), r.distance(), r.bestBarrier()),
                    x, r.stepMean());
            s.setMarker(SeriesMarkers.CIRCLE);
            k++;
        }
        save(List.of(c), 1, 1, png);
    }

    /**
     * Distribution of the best-path and mean barrier over the pairs of several sets (e.g. random pairs of
     * bands A, B, C), one panel for each statistic, 0.5-point bins.
     */
    public static void barrierHistograms(List<PairSetResult> sets, List<String> names, String title, Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (boolean best : new boolean[] {true, false}) {
            // Each panel gets its own range: best-path barriers are mostly below 1, mean barriers reach tens of points.
            double max = 0;
            for (PairSetResult s : sets) {
                max = Math.max(max, best ? s.bestBarrier().max() : s.meanBarrier().max());
            }
            double width = niceWidth(max / 40);
            int bins = Math.max(1, (int) Math.ceil(max / width + 1e-9));
            XYChart c = base(title + (best ? ": best-path barrier" : ": mean barrier over paths"), "barrier (accuracy points)",
                    "share of pairs");
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            c.getStyler().setXAxisTickMarkSpacingHint(70);
            for (int i = 0; i < sets.size(); i++) {
                double[] v = sets.get(i).pairs().stream().mapToDouble(p -> best ? p.bestBarrier() : p.meanBarrier()).toArray();
                long[] ones = new long[v.length];
                java.util.Arrays.fill(ones, 1);
                Histogram h = Histogram.of(v, ones, 0, bins * width, bins);
                double[] f = h.fractions();
                double[] x = new double[bins + 1], y = new double[bins + 1];
                for (int b = 0; b <= bins; b++) {
                    x[b] = b * width;
                    y[b] = f[Math.min(b, bins - 1)];
                }
                XYSeries s = c.addSeries(String.format("%s (median %.2f)", names.get(i),
                        best ? sets.get(i).bestBarrier().median() : sets.get(i).meanBarrier().median()), x, y);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(BAND_COLOURS[i % BAND_COLOURS.length]);
                s.setLineStyle(new BasicStroke(2f));
            }
            charts.add(c);
        }
        save(charts, 1, 2, png);
    }

    /** The smallest of 0.05, 0.1, 0.25, 0.5, 1, 2, 5 that is at least {@code w}. */
    private static double niceWidth(double w) {
        for (double n : new double[] {0.05, 0.1, 0.25, 0.5, 1, 2, 5}) {
            if (n >= w) {
                return n;
            }
        }
        return 10;
    }

    private static void line(XYChart c, String name, double[] x, double[] y, Color colour, boolean thin) {
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(thin ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(thin ? 1.2f : 2.5f));
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        return base(title, xTitle, yTitle, PANEL_W, PANEL_H);
    }

    private static XYChart base(String title, String xTitle, String yTitle, int w, int h) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));
        s.setLegendFont(s.getLegendFont().deriveFont(11f));
        return c;
    }

    private static void save(List<XYChart> charts, int rows, int cols, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // no display on servers; must precede AWT init
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        String name = png.toString();
        String stem = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.get(0), stem, BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap(charts, rows, cols, stem, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
