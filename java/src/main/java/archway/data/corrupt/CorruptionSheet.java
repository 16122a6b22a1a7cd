package archway.data.corrupt;

import archway.data.Dataset;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A picture sheet of one image under every corruption and severity: one row per corruption, columns clean and
 * severities 1..5, pixels magnified (nearest neighbour) so that small images stay readable.
 */
public final class CorruptionSheet {
    private static final int LABEL_WIDTH = 120;
    private static final int HEADER = 20;
    private static final int GAP = 4;

    private CorruptionSheet() {
    }

    public static BufferedImage render(Dataset set, int index, long seed) {
        if (index < 0 || index >= set.size()) {
            throw new IllegalArgumentException("image index " + index + " outside [0, " + set.size() + ")");
        }
        byte[] one = new byte[set.imageSize()];
        set.copyImage(index, one, 0);
        FloatImage clean = FloatImage.fromBytes(one, 0, set.channels(), set.height(), set.width());
        int scale = Math.max(1, 96 / Math.max(set.height(), set.width()));
        int cellW = set.width() * scale;
        int cellH = set.height() * scale;
        int cols = 1 + Corruption.SEVERITIES;
        Corruption[] rows = Corruption.values();
        BufferedImage sheet = new BufferedImage(LABEL_WIDTH + cols * (cellW + GAP), HEADER + rows.length * (cellH + GAP),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int c = 0; c < cols; c++) {
                String head = c == 0 ? "clean" : "severity " + c;
                g.drawString(head, LABEL_WIDTH + c * (cellW + GAP) + (cellW - fm.stringWidth(head)) / 2, HEADER - 6);
            }
            for (int r = 0; r < rows.length; r++) {
                int y = HEADER + r * (cellH + GAP);
                g.drawString(rows[r].id(), 4, y + cellH / 2 + fm.getAscent() / 2);
                draw(sheet, clean, LABEL_WIDTH, y, scale);
                for (int s = 1; s <= Corruption.SEVERITIES; s++) {
                    draw(sheet, rows[r].apply(clean, s, seed, index), LABEL_WIDTH + s * (cellW + GAP), y, scale);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    public static void write(Dataset set, int index, long seed, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(render(set, index, seed), "png", png.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void draw(BufferedImage sheet, FloatImage img, int left, int top, int scale) {
        byte[] px = new byte[img.data().length];
        img.toBytes(px, 0);
        int n = img.planeSize();
        boolean rgb = img.channels() == 3;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int i = y * img.width() + x;
                int r = px[i] & 0xff;
                int gr = rgb ? px[n + i] & 0xff : r;
                int b = rgb ? px[2 * n + i] & 0xff : r;
                int argb = r << 16 | gr << 8 | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        sheet.setRGB(left + x * scale + dx, top + y * scale + dy, argb);
                    }
                }
            }
        }
    }
}
