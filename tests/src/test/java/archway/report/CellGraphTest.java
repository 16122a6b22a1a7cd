package archway.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.report.CellGraph.Edge;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Found cells as graphs: nodes and labelled edges by hand, the dot source, the Java2D layout. */
class CellGraphTest {
    static final String NB201 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    static final String DARTS = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), "
            + "('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], "
            + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
            + "('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], "
            + "reduce_concat=[2, 3, 4, 5])";

    @Test
    void nb201CellLeavesOutNoneEdges() {
        CellGraph g = CellGraph.of("nb201", NB201).getFirst();
        assertEquals(List.of(new Edge("0", "1", "nor_conv_3x3"), new Edge("0", "2", "nor_conv_3x3"),
                new Edge("0", "3", "skip_connect"), new Edge("1", "3", "nor_conv_3x3"), new Edge("2", "3", "nor_conv_1x1")),
                g.edges());
        assertEquals(CellGraph.Kind.OUTPUT, g.nodes().get(3).kind());
        // Without 2<-1, nodes 1 and 2 both sit one step from the input; the output is one past them.
        assertArrayEquals(new int[] {0, 1, 1, 2}, g.ranks());
        assertEquals(6, CellGraph.of("nb201", "333313").getFirst().edges().size(), "digits form, no none");
    }

    @Test
    void dartsCellsHaveTwoInputsPerNodeAndConcatToTheOutput() {
        List<CellGraph> cells = CellGraph.of("darts", DARTS);
        assertEquals(List.of("normal cell", "reduction cell"), cells.stream().map(CellGraph::title).toList());
        CellGraph normal = cells.getFirst();
        assertEquals(List.of("c_{k-2}", "c_{k-1}", "0", "1", "2", "3", "c_{k}"), normal.nodes().stream().map(CellGraph.Node::id).toList());
        assertEquals(8 + 4, normal.edges().size(), "8 genes + 4 concat edges");
        assertEquals(new Edge("0", "3", "skip_connect"), normal.edges().get(7), "input 2 is intermediate node 0");
        assertEquals(new Edge("3", "c_{k}", ""), normal.edges().getLast());
        // Node 3 reads node 0, which reads only the cell inputs: ranks 0,0,1,1,1,2 and the output 3.
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 2, 3}, normal.ranks());
    }

    @Test
    void sizeVariableDrawsOneCellPerStage() {
        String arch = "s0:d2|conv_7x7~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|conv_3x3~1|nor_conv_1x1~2|;"
                + "s1:d1|none~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|;"
                + "s2:d3|conv_5x5~0|+|none~0|conv_5x5~1|+|none~0|none~1|none~2|";
        List<CellGraph> cells = CellGraph.of("nb201-size-variable", arch);
        assertEquals(List.of("stage 0 (2 cells)", "stage 1 (1 cell)", "stage 2 (3 cells)"), cells.stream().map(CellGraph::title).toList());
        assertEquals(List.of(new Edge("0", "1", "conv_7x7"), new Edge("0", "2", "skip_connect"), new Edge("0", "3", "avg_pool_3x3"),
                new Edge("1", "3", "conv_3x3"), new Edge("2", "3", "nor_conv_1x1")), cells.get(0).edges());
        assertEquals(2, cells.get(1).edges().size());
        assertEquals(2, cells.get(2).edges().size());
    }

    @Test
    void badArchitecturesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CellGraph.of("nb201", "|bogus~0|"));
        assertThrows(IllegalArgumentException.class, () -> CellGraph.of("darts", "Genotype(normal=["));
        assertThrows(IllegalArgumentException.class, () -> CellGraph.of("nb201-size-variable", "s0|x~0|"));
        assertThrows(IllegalArgumentException.class, () -> CellGraph.of("cifar", NB201));
    }

    @Test
    void dotSourceHasOneLinePerEdge() {
        CellGraph g = CellGraph.of("darts", DARTS).getFirst();
        String dot = CellGraphPicture.toDot(g);
        assertEquals(g.edges().size(), dot.split("->", -1).length - 1);
        assertTrue(dot.contains("\"c_{k-2}\" -> \"0\" [label=\"sep_conv_3x3\"];"), dot);
        assertTrue(dot.contains("\"3\" -> \"c_{k}\" [color=gray50];"), dot);
        assertTrue(dot.contains("rankdir=LR"));
    }

    @Test
    void java2dLayoutRunsLeftToRightWithoutStackedNodesOrLabels() {
        for (String space : List.of("nb201", "darts")) {
            for (CellGraph g : CellGraph.of(space, "nb201".equals(space) ? "333313" : DARTS)) {
                CellGraphPicture.Layout l = CellGraphPicture.layout(g);
                Set<String> at = new HashSet<>();
                for (double[] n : l.nodes()) {
                    assertTrue(at.add(n[0] + "," + n[1]), "two nodes at one place in " + g.title());
                    assertTrue(n[0] > 0 && n[0] < l.width() && n[1] > 0 && n[1] < l.height());
                }
                for (CellGraphPicture.Curve c : l.curves()) {
                    assertTrue(c.x1() < c.x2(), "edge " + c.edge() + " runs right to left");
                    assertTrue(c.labelX() > 0 && c.labelX() < l.width() && c.labelY() > 0 && c.labelY() < l.height(),
                            "label of " + c.edge() + " outside the picture");
                    for (CellGraphPicture.Curve other : l.curves()) {
                        assertTrue(other == c || !CellGraphPicture.overlap(c, other),
                                g.title() + ": labels of " + c.edge() + " and " + other.edge() + " overlap");
                    }
                }
            }
        }
        // Two edges crossing in the middle (c_{k-2} -> lower node, c_{k-1} -> upper node) must not share a label spot.
        CellGraph cross = new CellGraph("cross", List.of(new CellGraph.Node("a", "a", CellGraph.Kind.INPUT),
                new CellGraph.Node("b", "b", CellGraph.Kind.INPUT), new CellGraph.Node("c", "c", CellGraph.Kind.INTERMEDIATE),
                new CellGraph.Node("d", "d", CellGraph.Kind.INTERMEDIATE)),
                List.of(new Edge("a", "d", "sep_conv_3x3"), new Edge("b", "c", "sep_conv_5x5")));
        List<CellGraphPicture.Curve> crossing = CellGraphPicture.layout(cross).curves();
        assertFalse(CellGraphPicture.overlap(crossing.get(0), crossing.get(1)));
        // An arc over stacked nodes passes clear of them: 0 -> 3 skipping the column of nodes 1 and 2.
        CellGraph stacked = CellGraph.of("nb201", "|skip_connect~0|+|skip_connect~0|none~1|+|skip_connect~0|avg_pool_3x3~1|avg_pool_3x3~2|").getFirst();
        CellGraphPicture.Layout sl = CellGraphPicture.layout(stacked);
        assertEquals(1, sl.curves().stream().filter(c -> c.edge().from().equals("0") && c.edge().to().equals("3")).count());
        for (CellGraphPicture.Curve c : sl.curves()) {
            if (c.edge().from().equals("0") && c.edge().to().equals("3")) {
                for (int mid : new int[] {1, 2}) {
                    double[] n = sl.nodes()[mid];
                    // The arc's apex is its label point; it must be further from the line than any stacked node.
                    assertTrue(Math.abs(c.labelY() - c.y1()) > Math.abs(n[1] - c.y1()) + 26,
                            "arc 0->3 runs through node " + mid);
                }
            }
        }
        // NB201 333313 is a chain of 4 nodes on one line: 0->2, 1->3 and 0->3 skip columns and must bend.
        CellGraphPicture.Layout chain = CellGraphPicture.layout(CellGraph.of("nb201", "333313").getFirst());
        for (CellGraphPicture.Curve c : chain.curves()) {
            boolean skips = c.x2() - c.x1() > 200;
            assertEquals(skips, Math.abs(c.labelY() - c.y1()) > 1, c.edge() + " bend");
        }
    }

    @Test
    void java2dFallbackDrawsWithoutDot() throws Exception {
        CellGraph g = CellGraph.of("nb201", NB201).getFirst();
        Picture p = CellGraphPicture.render(g, false);
        assertEquals(Picture.Format.PNG, p.format());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.bytes()));
        CellGraphPicture.Layout l = CellGraphPicture.layout(g);
        assertEquals(l.width(), img.getWidth());
        assertTrue(img.getHeight() > l.height(), "title above the drawing");
        // The input node's fill colour is at its centre.
        double[] input = l.nodes()[0];
        assertEquals(CellGraphPicture.INPUT.getRGB(), img.getRGB((int) input[0] + 12, (int) input[1] + (img.getHeight() - l.height()) - 12));
        assertTrue(p.dataUri().startsWith("data:image/png;base64,"));
    }

    @Test
    void graphvizDrawsSvgWhereInstalled() {
        assumeTrue(CellGraphPicture.Graphviz.available(), "Graphviz dot is not installed (apt-get install graphviz)");
        Picture p = CellGraphPicture.render(CellGraph.of("nb201", NB201).getFirst(), true);
        assertEquals(Picture.Format.SVG, p.format());
        String svg = new String(p.bytes(), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg") && svg.contains("nor_conv_1x1"), svg);
    }
}
