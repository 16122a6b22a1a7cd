package archway.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** XChart drawing of a {@link LineChart}; NaN points are left out of their series. */
public final class LineChartPicture {
    private LineChartPicture() {
    }

    public static BufferedImage draw(LineChart c, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(c.title()).xAxisTitle(c.xLabel())
                .yAxisTitle(c.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xE0E0E0));
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendBorderColor(new Color(0xCCCCCC));
        for (LineChart.Series s : c.series()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isNaN(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), xs, ys);
            switch (s.style()) {
                case LINE -> xy.setMarker(SeriesMarkers.CIRCLE);
                case DASHED -> {
                    xy.setMarker(SeriesMarkers.NONE);
                    xy.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                    xy.setLineColor(Color.GRAY);
                }
                case MARKERS -> {
                    xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    xy.setMarker(SeriesMarkers.DIAMOND);
                }
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
