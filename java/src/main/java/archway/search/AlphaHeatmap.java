package archway.search;

import archway.report.MixingWeights;
import archway.report.MixingWeightsPicture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * alpha-heatmap.png of a search: the mixing weights over the epochs, one panel per edge, coloured by the
 * distance from the uniform 1/K with each epoch's argmax marked ({@link MixingWeightsPicture}; the same
 * picture is in report.html).
 */
public final class AlphaHeatmap {
    private AlphaHeatmap() {
    }

    public static void write(Path png, SearchSpace space, List<double[]> perEpoch) throws IOException {
        if (perEpoch.isEmpty()) {
            return;
        }
        int cols = space.opCount();
        List<double[][]> rows = new ArrayList<>();
        for (double[] p : perEpoch) {
            double[][] r = new double[p.length / cols][cols];
            for (int i = 0; i < r.length; i++) {
                System.arraycopy(p, i * cols, r[i], 0, cols);
            }
            rows.add(r);
        }
        ImageIO.write(MixingWeightsPicture.stacked(MixingWeights.of(space.name(), rows)), "png", png.toFile());
    }
}
