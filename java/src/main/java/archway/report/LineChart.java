package archway.report;

import java.util.List;

/**
 * The data of one line chart: what {@link LineChartPicture} draws and what the tests check.
 *
 * @param series the lines; NaN values are gaps (an epoch without the metric)
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series) {
    public LineChart {
        series = List.copyOf(series);
    }

    /** How a series is drawn: a line with markers, a dashed reference line (a band edge), or markers only. */
    public enum Style {
        LINE, DASHED, MARKERS
    }

    public record Series(String name, double[] x, double[] y, Style style) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
            }
        }

        /** True when at least one y is a number. */
        public boolean hasData() {
            for (double v : y) {
                if (!Double.isNaN(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** True when some series has data (charts without data are left off the page). */
    public boolean hasData() {
        return series.stream().anyMatch(Series::hasData);
    }
}
