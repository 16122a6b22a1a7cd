package archway.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;

/** One picture of a report, PNG or SVG bytes, inlined into the page as a data URI (no files beside it). */
public record Picture(String title, Format format, byte[] bytes) {
    /** The two encodings a page inlines. */
    public enum Format {
        PNG("image/png"), SVG("image/svg+xml");

        final String mime;

        Format(String mime) {
            this.mime = mime;
        }
    }

    public static Picture png(String title, BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + title + " as PNG", e);
        }
        return new Picture(title, Format.PNG, out.toByteArray());
    }

    public static Picture svg(String title, String svg) {
        return new Picture(title, Format.SVG, svg.getBytes(StandardCharsets.UTF_8));
    }

    public String dataUri() {
        return "data:" + format.mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }
}
