package archway.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Java2D drawing of one {@link MixingWeights.Block}: one small panel per edge (rows = candidate ops,
 * columns = epochs), the panels of the edges into one node side by side. Colour is p - 1/K on a diverging
 * scale (blue below uniform, white at 1/K, red above) running over +-{@link MixingWeights.Block#scale};
 * a black dot marks each epoch's argmax on the edge.
 */
public final class MixingWeightsPicture {
    private static final Color BELOW = new Color(0x2166AC), ABOVE = new Color(0xB2182B), ABSENT = new Color(0xE6E6E6);
    private static final int ROW = 16, GAP = 18, TITLE = 44, LEGEND = 46, MARGIN = 12;

    private MixingWeightsPicture() {
    }

    /** Colour of a deviation d on the scale +-s: white at 0, full blue at -s, full red at +s; grey for NaN. */
    public static Color colour(double d, double s) {
        if (Double.isNaN(d)) {
            return ABSENT;
        }
        double t = Math.max(-1, Math.min(1, d / s));
        Color end = t < 0 ? BELOW : ABOVE;
        double a = Math.abs(t);
        return new Color((int) Math.round(255 + (end.getRed() - 255) * a), (int) Math.round(255 + (end.getGreen() - 255) * a),
                (int) Math.round(255 + (end.getBlue() - 255) * a));
    }

    /** Width of one epoch column: wide for a short run, at least 3 pixels for a long one. */
    static int columnWidth(int epochs) {
        return Math.max(3, Math.min(30, 240 / Math.max(1, epochs)));
    }

    public static BufferedImage draw(MixingWeights.Block b) {
        int epochs = b.epochs(), cw = columnWidth(epochs), panelW = cw * epochs, panelH = ROW * b.ops().size();
        int perRow = b.layout().stream().mapToInt(List::size).max().orElse(1);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics probeFm = pg.getFontMetrics();
        int labelW = b.ops().stream().mapToInt(probeFm::stringWidth).max().orElse(20) + 8;
        int edgeW = b.edges().stream().mapToInt(probeFm::stringWidth).max().orElse(20);
        pg.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        int titleW = pg.getFontMetrics().stringWidth(title(b)) + 2 * MARGIN;
        pg.dispose();
        int cellW = Math.max(panelW, edgeW) + GAP;
        int width = Math.max(Math.max(MARGIN * 2 + labelW + perRow * cellW, 640), titleW);
        int height = TITLE + b.layout().size() * (panelH + 20 + GAP) + LEGEND;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            double s = b.scale();
            double[][][] d = b.deviation();
            int[][] arg = b.argmax();
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title(b), MARGIN, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString("columns: epochs 1.." + epochs + "; rows: candidate ops", MARGIN, 34);
            FontMetrics fm = g.getFontMetrics();
            int y = TITLE;
            for (List<Integer> row : b.layout()) {
                int top = y + 16;
                for (int o = 0; o < b.ops().size(); o++) {
                    g.setColor(Color.DARK_GRAY);
                    String op = b.ops().get(o);
                    g.drawString(op, MARGIN + labelW - 6 - fm.stringWidth(op), top + o * ROW + ROW - 3);
                }
                for (int k = 0; k < row.size(); k++) {
                    int edge = row.get(k), left = MARGIN + labelW + k * cellW;
                    g.setColor(Color.BLACK);
                    g.drawString(b.edges().get(edge), left, y + 11);
                    for (int e = 0; e < epochs; e++) {
                        for (int o = 0; o < b.ops().size(); o++) {
                            g.setColor(colour(d[e][edge][o], s));
                            g.fillRect(left + e * cw, top + o * ROW, cw, ROW);
                        }
                        if (arg[e][edge] >= 0) {
                            int dot = Math.max(2, Math.min(6, cw - 2));
                            g.setColor(Color.BLACK);
                            g.fillOval(left + e * cw + (cw - dot) / 2, top + arg[e][edge] * ROW + (ROW - dot) / 2, dot, dot);
                        }
                    }
                    g.setColor(Color.GRAY);
                    g.drawRect(left, top, panelW, panelH);
                }
                y += panelH + 20 + GAP;
            }
            legend(g, fm, MARGIN, y, b.centre(), s);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static String title(MixingWeights.Block b) {
        return "Mixing weights, " + b.title() + ": colour = p - 1/" + b.ops().size() + ", dot = argmax per epoch";
    }

    /** Every block of the weights drawn one below the other (alpha-heatmap.png). */
    public static BufferedImage stacked(MixingWeights w) {
        List<BufferedImage> parts = w.blocks().stream().map(MixingWeightsPicture::draw).toList();
        int width = parts.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int height = Math.max(1, parts.stream().mapToInt(BufferedImage::getHeight).sum());
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (BufferedImage p : parts) {
                g.drawImage(p, 0, y, null);
                y += p.getHeight();
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void legend(Graphics2D g, FontMetrics fm, int x, int y, double centre, double s) {
        int w = 240, h = 12;
        for (int i = 0; i < w; i++) {
            g.setColor(colour((2.0 * i / (w - 1) - 1) * s, s));
            g.fillRect(x + i, y, 1, h);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, y, w, h);
        g.setColor(Color.DARK_GRAY);
        // p is never below 0: a scale reaching past it is labelled at 0.
        String lo = String.format(java.util.Locale.ROOT, "%.4f", Math.max(0, centre - s)), mid = String.format(java.util.Locale.ROOT, "1/K = %.4f", centre), hi = String.format(java.util.Locale.ROOT, "%.4f", centre + s);
        g.drawString(lo, x, y + h + 13);
        g.drawString(mid, x + w / 2 - fm.stringWidth(mid) / 2, y + h + 13);
        g.drawString(hi, x + w - fm.stringWidth(hi), y + h + 13);
        g.drawString(String.format(java.util.Locale.ROOT, "scale +-%.4f (largest |p - 1/K| in this block)", s), x + w + 12, y + h - 1);
    }
}
