package archway.evo;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A PNG of a two-objective search: every archive member as a dot, the Pareto front as a connected line. */
public final class ParetoChart {
    private ParetoChart() {
    }

    /**
     * @param all   (x, y) of every member
     * @param front (x, y) of the front's members (any order; drawn sorted by x)
     */
    public static void write(Path png, String title, String xLabel, String yLabel, double[][] all, double[][] front)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(true);
        XYSeries dots = chart.addSeries("archive (" + all.length + ")", column(all, 0), column(all, 1));
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        dots.setMarker(SeriesMarkers.CIRCLE);
        dots.setMarkerColor(new Color(0x9e9e9e));
        double[][] sorted = front.clone();
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingDouble(p -> p[0]));
        if (sorted.length > 0) {
            XYSeries line = chart.addSeries("Pareto front (" + sorted.length + ")", column(sorted, 0), column(sorted, 1));
            line.setMarker(SeriesMarkers.DIAMOND);
            line.setLineColor(new Color(0xd95f02));
            line.setMarkerColor(new Color(0xd95f02));
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double[] column(double[][] points, int j) {
        double[] c = new double[points.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = points[i][j];
        }
        return c;
    }
}
