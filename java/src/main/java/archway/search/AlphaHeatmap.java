package archway.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Mixing-weight heatmap over the search: one row per (edge, op), one column per epoch, colour = the
 * op's probability on its edge. Shows at a glance which ops won and when.
 */
public final class AlphaHeatmap {
    private AlphaHeatmap() {
    }

    public static void write(Path png, SearchSpace space, List<double[]> perEpoch) throws IOException {
        if (perEpoch.isEmpty()) {
            return;
        }
        int cols = space.opCount(), rows = space.rows();
        int epochs = perEpoch.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(600, 40 * epochs + 300)).height(14 * rows * cols + 160)
                .title(space.name() + " mixing weights by epoch (row = edge:op)").xAxisTitle("epoch")
                .yAxisTitle("edge " + String.join("/", space.opNames())).build();
        chart.getStyler().setShowValue(false);
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(1);
        List<Number[]> data = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i < rows * cols; i++) {
                data.add(new Number[] {e, i, perEpoch.get(e)[i]});
            }
        }
        List<Integer> xs = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            xs.add(e);
        }
        List<String> ys = new ArrayList<>();
        for (int i = 0; i < rows * cols; i++) {
            ys.add("e" + (i / cols) + ":" + space.opNames().get(i % cols));
        }
        chart.addSeries("p", xs, ys, data);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
