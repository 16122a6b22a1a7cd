package archway.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Draws a {@link CellGraph}: with Graphviz {@code dot} (SVG) where it is installed, otherwise with Java2D
 * (PNG) from {@link #layout}: nodes in columns by {@link CellGraph#ranks}, edges that skip columns bent
 * into arcs (alternately above and below) so they do not run through the nodes between.
 */
public final class CellGraphPicture {
    static final Color INPUT = new Color(0xB7E1A1), INTERMEDIATE = new Color(0xADD8F0), OUTPUT = new Color(0xF7E08B);
    private static final int COLUMN = 200, ROW = 96, RADIUS = 26, MARGIN = 40, BEND = 34;

    private CellGraphPicture() {
    }

    /** Where each node sits and how each edge runs (a quadratic curve from (x1,y1) via (cx,cy) to (x2,y2)). */
    public record Layout(int width, int height, double[][] nodes, List<Curve> curves) {
    }

    /** One edge's curve and the centre of its label. */
    public record Curve(CellGraph.Edge edge, double x1, double y1, double cx, double cy, double x2, double y2,
            double labelX, double labelY) {
    }

    /** Graphviz source of the cell: left to right, filled nodes coloured by kind, op names on the edges. */
    public static String toDot(CellGraph g) {
        StringBuilder b = new StringBuilder("digraph cell {\n  rankdir=LR;\n  label=\"" + escape(g.title())
                + "\"; labelloc=t; fontname=\"Helvetica\";\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=11];\n");
        for (CellGraph.Node n : g.nodes()) {
            b.append("  \"").append(escape(n.id())).append("\" [label=\"").append(escape(n.label()))
                    .append("\", fillcolor=\"").append(hex(colour(n.kind()))).append("\"];\n");
        }
        List<String> inputs = g.nodes().stream().filter(n -> n.kind() == CellGraph.Kind.INPUT).map(n -> "\"" + escape(n.id()) + "\"").toList();
        if (inputs.size() > 1) {
            b.append("  {rank=same; ").append(String.join("; ", inputs)).append(";}\n");
        }
        for (CellGraph.Edge e : g.edges()) {
            b.append("  \"").append(escape(e.from())).append("\" -> \"").append(escape(e.to())).append('"');
            b.append(e.label().isEmpty() ? " [color=gray50]" : " [label=\"" + escape(e.label()) + "\"]").append(";\n");
        }
        return b.append("}\n").toString();
    }

    /** The picture: dot's SVG when {@code useDot} and dot runs, the Java2D drawing otherwise. */
    public static Picture render(CellGraph g, boolean useDot) {
        if (useDot) {
            String svg = Graphviz.svg(toDot(g));
            if (svg != null) {
                return Picture.svg(g.title(), svg);
            }
        }
        return Picture.png(g.title(), draw(g));
    }

    /** Node centres and edge curves of the Java2D drawing. */
    public static Layout layout(CellGraph g) {
        int[] rank = g.ranks();
        int columns = 0;
        Map<Integer, List<Integer>> byRank = new HashMap<>();
        for (int i = 0; i < rank.length; i++) {
            byRank.computeIfAbsent(rank[i], r -> new ArrayList<>()).add(i);
            columns = Math.max(columns, rank[i] + 1);
        }
        int tallest = byRank.values().stream().mapToInt(List::size).max().orElse(1);
        // Room for the arcs of edges that skip columns: the longest skip bends furthest.
        int maxSpan = 1;
        for (CellGraph.Edge e : g.edges()) {
            maxSpan = Math.max(maxSpan, rank[g.index(e.to())] - rank[g.index(e.from())]);
        }
        // Arcs must also clear nodes stacked above or below the line they start from.
        double stack = (tallest - 1) * ROW / 2.0;
        int arcRoom = (int) Math.ceil(BEND * maxSpan + stack) + 20;
        int height = 2 * MARGIN + 2 * arcRoom + (tallest - 1) * ROW;
        int width = 2 * MARGIN + 2 * RADIUS + (columns - 1) * COLUMN;
        double[][] at = new double[rank.length][2];
        for (Map.Entry<Integer, List<Integer>> col : byRank.entrySet()) {
            List<Integer> ids = col.getValue();
            for (int k = 0; k < ids.size(); k++) {
                at[ids.get(k)][0] = MARGIN + RADIUS + col.getKey() * COLUMN;
                at[ids.get(k)][1] = height / 2.0 + (k - (ids.size() - 1) / 2.0) * ROW;
            }
            // A chain of single intermediate nodes zig-zags, so edges that skip a node pass beside it.
            if (ids.size() == 1 && g.nodes().get(ids.getFirst()).kind() == CellGraph.Kind.INTERMEDIATE && tallest > 1) {
                at[ids.getFirst()][1] += (col.getKey() % 2 == 0 ? -1 : 1) * ROW / 2.0;
            }
        }
        List<Curve> curves = new ArrayList<>();
        Map<String, Integer> parallel = new HashMap<>();
        int skips = 0;
        for (CellGraph.Edge e : g.edges()) {
            int a = g.index(e.from()), z = g.index(e.to());
            double x1 = at[a][0], y1 = at[a][1], x2 = at[z][0], y2 = at[z][1];
            int span = rank[z] - rank[a];
            int twin = parallel.merge(e.from() + "\u0000" + e.to(), 1, Integer::sum) - 1;
            double bend = 0;
            if (span > 1 && Math.abs(y1 - y2) < 1e-9) {
                bend = (skips++ % 2 == 0 ? -1 : 1) * (BEND * span + stack);
            }
            bend += twin == 0 ? 0 : (twin % 2 == 1 ? 1 : -1) * 22 * ((twin + 1) / 2);
            // Bend perpendicular to the straight line from source to target.
            double dx = x2 - x1, dy = y2 - y1, len = Math.max(1e-9, Math.hypot(dx, dy));
            double cx = (x1 + x2) / 2 + bend * (-dy / len) * 2, cy = (y1 + y2) / 2 + bend * (dx / len) * 2;
            double[] label = labelSpot(e.label(), x1, y1, cx, cy, x2, y2, curves);
            curves.add(new Curve(e, x1, y1, cx, cy, x2, y2, label[0], label[1]));
        }
        return new Layout(width, height, at, curves);
    }

    /** Estimated box of a label (12 pt sans: about 7 pixels a character), used to keep labels apart. */
    static double labelWidth(String label) {
        return 7.0 * label.length() + 6;
    }

    static final double LABEL_HEIGHT = 16;

    /** True when the label boxes of two curves overlap. */
    static boolean overlap(Curve a, Curve b) {
        return !a.edge().label().isEmpty() && !b.edge().label().isEmpty()
                && Math.abs(a.labelX() - b.labelX()) < (labelWidth(a.edge().label()) + labelWidth(b.edge().label())) / 2
                && Math.abs(a.labelY() - b.labelY()) < LABEL_HEIGHT;
    }

    /**
     * Where a label goes: the curve's middle, or, when that box would overlap an earlier label (two edges
     * crossing in the middle), the first free point further along or back on the curve.
     */
    private static double[] labelSpot(String label, double x1, double y1, double cx, double cy, double x2, double y2,
            List<Curve> placed) {
        double[] best = null;
        long fewest = Long.MAX_VALUE;
        // From the middle outwards: 0.5, 0.46, 0.54, 0.42, ... 0.14, 0.86.
        for (int step = 0; step <= 18; step++) {
            double t = 0.5 + (step % 2 == 0 ? 1 : -1) * 0.04 * ((step + 1) / 2);
            double u = 1 - t;
            double x = u * u * x1 + 2 * u * t * cx + t * t * x2, y = u * u * y1 + 2 * u * t * cy + t * t * y2;
            Curve probe = new Curve(new CellGraph.Edge("", "", label), x1, y1, cx, cy, x2, y2, x, y);
            long hits = placed.stream().filter(c -> overlap(c, probe)).count();
            if (hits < fewest) {
                fewest = hits;
                best = new double[] {x, y};
            }
            if (hits == 0) {
                break;
            }
        }
        return best;
    }

    /** The Java2D drawing of {@link #layout}. */
    public static BufferedImage draw(CellGraph g) {
        Layout l = layout(g);
        int titleRoom = 26;
        BufferedImage img = new BufferedImage(l.width(), l.height() + titleRoom, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        try {
            gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setColor(Color.WHITE);
            gr.fillRect(0, 0, img.getWidth(), img.getHeight());
            gr.setColor(Color.BLACK);
            gr.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            gr.drawString(g.title(), MARGIN / 2, 18);
            gr.translate(0, titleRoom);
            gr.setStroke(new BasicStroke(1.6f));
            for (Curve c : l.curves()) {
                gr.setColor(c.edge().label().isEmpty() ? Color.GRAY : new Color(0x303030));
                gr.draw(new QuadCurve2D.Double(c.x1(), c.y1(), c.cx(), c.cy(), c.x2(), c.y2()));
                arrowHead(gr, c);
            }
            gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = gr.getFontMetrics();
            for (Curve c : l.curves()) {
                String label = c.edge().label();
                if (label.isEmpty()) {
                    continue;
                }
                int w = fm.stringWidth(label) + 6, h = fm.getHeight();
                gr.setColor(new Color(255, 255, 255, 225));
                gr.fillRect((int) (c.labelX() - w / 2.0), (int) (c.labelY() - h / 2.0), w, h);
                gr.setColor(new Color(0x8B1A1A));
                gr.drawString(label, (int) (c.labelX() - w / 2.0) + 3, (int) (c.labelY() - h / 2.0) + fm.getAscent());
            }
            for (int i = 0; i < g.nodes().size(); i++) {
                CellGraph.Node n = g.nodes().get(i);
                double x = l.nodes()[i][0], y = l.nodes()[i][1];
                Ellipse2D shape = new Ellipse2D.Double(x - RADIUS, y - RADIUS, 2 * RADIUS, 2 * RADIUS);
                gr.setColor(colour(n.kind()));
                gr.fill(shape);
                gr.setColor(Color.DARK_GRAY);
                gr.draw(shape);
                gr.setColor(Color.BLACK);
                // c_{k-2} and friends: a smaller font keeps the name inside the circle.
                gr.setFont(new Font(Font.SANS_SERIF, n.label().length() > 3 ? Font.PLAIN : Font.BOLD, n.label().length() > 3 ? 11 : 13));
                fm = gr.getFontMetrics();
                gr.drawString(n.label(), (int) (x - fm.stringWidth(n.label()) / 2.0), (int) (y + fm.getAscent() / 2.0 - 2));
            }
        } finally {
            gr.dispose();
        }
        return img;
    }

    private static void arrowHead(Graphics2D gr, Curve c) {
        // Direction of the curve at its end is from the control point to the end point.
        double dx = c.x2() - c.cx(), dy = c.y2() - c.cy(), len = Math.max(1e-9, Math.hypot(dx, dy));
        double ux = dx / len, uy = dy / len;
        double tipX = c.x2() - ux * RADIUS, tipY = c.y2() - uy * RADIUS;
        Path2D head = new Path2D.Double();
        head.moveTo(tipX, tipY);
        head.lineTo(tipX - ux * 10 - uy * 5, tipY - uy * 10 + ux * 5);
        head.lineTo(tipX - ux * 10 + uy * 5, tipY - uy * 10 - ux * 5);
        head.closePath();
        gr.fill(head);
    }

    static Color colour(CellGraph.Kind kind) {
        return switch (kind) {
            case INPUT -> INPUT;
            case INTERMEDIATE -> INTERMEDIATE;
            case OUTPUT -> OUTPUT;
        };
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Graphviz's dot on the PATH, run once per picture. */
    static final class Graphviz {
        private Graphviz() {
        }

        /** True when an executable dot is on the PATH. */
        static boolean available() {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "dot"))) {
                    return true;
                }
            }
            return false;
        }

        /** dot -Tsvg of the source, or null when dot is missing or fails. */
        static String svg(String source) {
            if (!available()) {
                return null;
            }
            try {
                Process p = new ProcessBuilder("dot", "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
                try (var in = p.getOutputStream()) {
                    in.write(source.getBytes(StandardCharsets.UTF_8));
                }
                byte[] out;
                try (InputStream s = p.getInputStream()) {
                    out = s.readAllBytes();
                }
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                return p.exitValue() == 0 && out.length > 0 ? new String(out, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
