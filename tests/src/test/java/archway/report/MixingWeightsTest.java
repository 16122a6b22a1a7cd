package archway.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.spaces.darts.DartsNetwork;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data behind the mixing-weight picture: blocks, deviation from 1/K, scale, argmax, colours. */
class MixingWeightsTest {
    /** Uniform rows with one bump: row r, op (r + epoch) % k gets +bump, the next op -bump. */
    private static double[][] bumped(int rows, int k, int epoch, double bump) {
        double[][] p = new double[rows][k];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(p[r], 1.0 / k);
            p[r][(r + epoch) % k] += bump * (r + 1);
            p[r][(r + epoch + 1) % k] -= bump * (r + 1);
        }
        return p;
    }

    @Test
    void nb201BlockCentresOnOneFifthAndFindsTheArgmax() {
        List<double[][]> epochs = List.of(bumped(6, 5, 0, 1e-4), bumped(6, 5, 1, 1e-4), bumped(6, 5, 2, 1e-4));
        MixingWeights w = MixingWeights.of("nb201", epochs);
        assertEquals(1, w.blocks().size());
        MixingWeights.Block b = w.blocks().getFirst();
        assertEquals(List.of("1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"), b.edges());
        assertEquals(List.of(List.of(0), List.of(1, 2), List.of(3, 4, 5)), b.layout(), "edges grouped by target node");
        assertEquals(0.2, b.centre(), 0);
        // The largest |p - 1/K|: row 5 has bump 6e-4.
        assertEquals(6e-4, b.scale(), 1e-15);
        double[][][] d = b.deviation();
        for (int e = 0; e < 3; e++) {
            for (int r = 0; r < 6; r++) {
                assertEquals(1e-4 * (r + 1), d[e][r][(r + e) % 5], 1e-15);
                assertEquals(-1e-4 * (r + 1), d[e][r][(r + e + 1) % 5], 1e-15);
                assertEquals((r + e) % 5, b.argmax()[e][r], "argmax of epoch " + e + " edge " + r);
            }
        }
    }

    @Test
    void smallDifferencesGetFullColour() {
        // After 3 epochs every weight is within hundredths of 1/K; on the block's own scale the extremes are
        // the full diverging colours, where a 0..1 scale would have drawn one flat tone.
        MixingWeights.Block b = MixingWeights.of("nb201", List.<double[][]>of(bumped(6, 5, 0, 1e-3))).blocks().getFirst();
        double s = b.scale();
        assertEquals(new Color(0xB2182B), MixingWeightsPicture.colour(s, s));
        assertEquals(new Color(0x2166AC), MixingWeightsPicture.colour(-s, s));
        assertEquals(Color.WHITE, MixingWeightsPicture.colour(0, s));
        Color half = MixingWeightsPicture.colour(s / 2, s);
        assertEquals(Math.round(255 + (0xB2 - 255) * 0.5), half.getRed());
        assertEquals(new Color(0xE6E6E6), MixingWeightsPicture.colour(Double.NaN, s), "absent rows are grey");
    }

    @Test
    void dartsSplitsNormalAndReductionWithPaperEdgeNames() {
        double[][] p = bumped(28, 8, 0, 1e-5);
        MixingWeights w = MixingWeights.of("darts", List.<double[][]>of(p));
        assertEquals(List.of("normal cell", "reduction cell"), w.blocks().stream().map(MixingWeights.Block::title).toList());
        MixingWeights.Block reduce = w.blocks().get(1);
        assertEquals(8, reduce.ops().size());
        assertEquals("none", reduce.ops().getFirst());
        // Edge index of input 2 (intermediate node 0) into node 1 is 1*4/2 + 2 = 4.
        assertEquals(4, DartsNetwork.edge(1, 2));
        assertEquals("0 -> 1", reduce.edges().get(4));
        assertEquals("c_{k-2} -> 3", reduce.edges().get(DartsNetwork.edge(3, 0)));
        assertEquals(List.of(List.of(0, 1), List.of(2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10, 11, 12, 13)), reduce.layout());
        // Reduction rows are rows 14..27 of the epoch.
        assertArrayEquals(p[14 + 4], reduce.p()[0][4], 0);
        assertEquals(7, MixingWeights.of("darts", List.<double[][]>of(bumped(28, 7, 0, 1e-5))).blocks().getFirst().ops().size(),
                "without none");
    }

    @Test
    void sizeVariableKernelsAndDepthsAppearFromTheExpansion() {
        int cells = 2;
        double[][] before = bumped(18, 5, 0, 1e-3);
        List<double[]> after = new ArrayList<>(List.of(bumped(18, 5, 1, 1e-3)));
        after.addAll(List.of(bumped(18, 3, 0, 1e-3)));
        after.addAll(List.of(bumped(3, cells, 0, 1e-2)));
        MixingWeights w = MixingWeights.of("nb201-size-variable", List.of(before, after.toArray(new double[0][])));
        assertEquals(List.of("ops", "conv_kv kernels", "cells kept per stage"),
                w.blocks().stream().map(MixingWeights.Block::title).toList());
        MixingWeights.Block kernels = w.blocks().get(1), depth = w.blocks().get(2);
        assertEquals(List.of("7x7", "5x5", "3x3"), kernels.ops());
        assertEquals(1.0 / 3, kernels.centre(), 0);
        assertTrue(Double.isNaN(kernels.p()[0][0][0]), "no kernels before the expansion");
        assertEquals(-1, kernels.argmax()[0][0]);
        assertEquals(0, kernels.argmax()[1][0]);
        assertEquals(List.of("1 cell", "2 cells"), depth.ops());
        assertEquals(List.of("stage 0", "stage 1", "stage 2"), depth.edges());
        assertEquals(0.03, depth.scale(), 1e-15, "row 2's bump 3 x 1e-2");
        assertEquals("stage 2 3<-2", w.blocks().getFirst().edges().get(17));
    }

    @Test
    void unknownShapesFallBackToNumberedRows() {
        double[][] p = {{0.5, 0.5}, {0.25, 0.75}, {0.1, 0.2, 0.7}};
        MixingWeights w = MixingWeights.of("nb201", List.<double[][]>of(p));
        assertEquals(2, w.blocks().size(), "one block per run of equally wide rows");
        assertEquals(List.of("row 0", "row 1"), w.blocks().get(0).edges());
        assertEquals(2, w.blocks().get(1).argmax()[0][0]);
        assertTrue(MixingWeights.of("nb201", java.util.Arrays.asList(null, null)).blocks().isEmpty());
    }

    @Test
    void pictureHasOnePanelRowPerNode() {
        MixingWeights w = MixingWeights.of("darts", List.of(bumped(28, 8, 0, 1e-5), bumped(28, 8, 1, 1e-5)));
        BufferedImage one = MixingWeightsPicture.draw(w.blocks().getFirst());
        BufferedImage both = MixingWeightsPicture.stacked(w);
        assertEquals(2 * one.getHeight(), both.getHeight(), "alpha-heatmap.png stacks normal and reduction");
        assertTrue(one.getWidth() >= 640);
    }
}
