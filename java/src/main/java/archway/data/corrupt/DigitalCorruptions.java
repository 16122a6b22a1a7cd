package archway.data.corrupt;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Brightness, contrast, elastic transform, pixelation and JPEG compression. Parameters of CIFAR-10-C except:
 * the elastic transform, simplified (no affine part) to one smoothed random displacement field whose amplitude
 * grows with severity; and pixelation, whose factors are coarser (on 28-pixel images CIFAR-10-C's 0.95 aliases
 * more than its 0.9).
 */
final class DigitalCorruptions {
    static final double[] BRIGHTNESS = {0.05, 0.1, 0.15, 0.2, 0.3};
    static final double[] CONTRAST = {0.75, 0.5, 0.4, 0.3, 0.15};
    /** Largest displacement, as a fraction of the image side. */
    static final double[] ELASTIC_AMPLITUDE = {0.02, 0.035, 0.05, 0.065, 0.08};
    /** Smoothness of the displacement field, as a fraction of the image side. */
    static final double ELASTIC_SMOOTHING = 0.1;
    static final double[] PIXELATE = {0.9, 0.75, 0.6, 0.5, 0.4};
    static final int[] JPEG_QUALITY = {80, 65, 58, 50, 40};

    private DigitalCorruptions() {
    }

    /** HSV value raised by c (saturating), hue and saturation kept; for grey images the value itself. */
    static FloatImage brightness(FloatImage img, int severity, SplittableRandom rng) {
        double c = BRIGHTNESS[severity - 1];
        FloatImage out = img.copy();
        float[] d = out.data();
        int n = img.planeSize();
        int channels = img.channels();
        for (int i = 0; i < n; i++) {
            float v = 0;
            for (int ch = 0; ch < channels; ch++) {
                v = Math.max(v, d[ch * n + i]);
            }
            float target = (float) Math.min(1, v + c);
            for (int ch = 0; ch < channels; ch++) {
                d[ch * n + i] = v > 0 ? d[ch * n + i] * target / v : target;
            }
        }
        return out.clip();
    }

    /** Each channel pulled towards its mean: (x - mean) * c + mean. */
    static FloatImage contrast(FloatImage img, int severity, SplittableRandom rng) {
        double c = CONTRAST[severity - 1];
        FloatImage out = img.copy();
        float[] d = out.data();
        int n = img.planeSize();
        for (int ch = 0; ch < img.channels(); ch++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += d[ch * n + i];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                d[ch * n + i] = (float) ((d[ch * n + i] - mean) * c + mean);
            }
        }
        return out.clip();
    }

    static FloatImage elastic(FloatImage img, int severity, SplittableRandom rng) {
        int h = img.height();
        int w = img.width();
        int side = Math.max(h, w);
        double sigma = ELASTIC_SMOOTHING * side;
        FloatImage field = FloatImage.blank(2, h, w);
        float[] f = field.data();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextDouble(-1, 1);
        }
        field = Planes.gaussianBlur(field, sigma);
        float[] s = field.data();
        double peak = 1e-12;
        for (float v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        double scale = ELASTIC_AMPLITUDE[severity - 1] * side / peak;
        int n = h * w;
        FloatImage out = FloatImage.blank(img.channels(), h, w);
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    out.set(c, y, x, Planes.bilinear(img, c, y + scale * s[i], x + scale * s[n + i]));
                }
            }
        }
        return out.clip();
    }

    /** Down to floor(side * c) by area averaging, back up by nearest neighbour. */
    static FloatImage pixelate(FloatImage img, int severity, SplittableRandom rng) {
        double c = PIXELATE[severity - 1];
        int h = img.height();
        int w = img.width();
        int sh = Math.max(1, (int) (h * c));
        int sw = Math.max(1, (int) (w * c));
        FloatImage small = FloatImage.blank(img.channels(), sh, sw);
        for (int ch = 0; ch < img.channels(); ch++) {
            for (int y = 0; y < sh; y++) {
                double y0 = (double) y * h / sh;
                double y1 = (double) (y + 1) * h / sh;
                for (int x = 0; x < sw; x++) {
                    double x0 = (double) x * w / sw;
                    double x1 = (double) (x + 1) * w / sw;
                    double sum = 0;
                    double area = 0;
                    for (int yy = (int) y0; yy < Math.min(h, Math.ceil(y1)); yy++) {
                        double cy = Math.min(y1, yy + 1) - Math.max(y0, yy);
                        for (int xx = (int) x0; xx < Math.min(w, Math.ceil(x1)); xx++) {
                            double cx = Math.min(x1, xx + 1) - Math.max(x0, xx);
                            sum += cy * cx * img.get(ch, yy, xx);
                            area += cy * cx;
                        }
                    }
                    small.set(ch, y, x, (float) (sum / area));
                }
            }
        }
        FloatImage out = FloatImage.blank(img.channels(), h, w);
        for (int ch = 0; ch < img.channels(); ch++) {
            for (int y = 0; y < h; y++) {
                int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / h));
                for (int x = 0; x < w; x++) {
                    int sx = Math.min(sw - 1, (int) ((x + 0.5) * sw / w));
                    out.set(ch, y, x, small.get(ch, sy, sx));
                }
            }
        }
        return out;
    }

    /** Encoded and decoded as a baseline JPEG at the severity's quality by the JDK's codec. */
    static FloatImage jpeg(FloatImage img, int severity, SplittableRandom rng) {
        if (img.channels() != 1 && img.channels() != 3) {
            throw new IllegalArgumentException("jpeg corruption supports 1 or 3 channels, got " + img.channels());
        }
        int h = img.height();
        int w = img.width();
        boolean grey = img.channels() == 1;
        BufferedImage bi = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        byte[] bytes = new byte[img.data().length];
        img.toBytes(bytes, 0);
        int n = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (grey) {
                    bi.getRaster().setSample(x, y, 0, bytes[i] & 0xff);
                } else {
                    bi.setRGB(x, y, (bytes[i] & 0xff) << 16 | (bytes[n + i] & 0xff) << 8 | (bytes[2 * n + i] & 0xff));
                }
            }
        }
        BufferedImage back = roundTrip(bi, JPEG_QUALITY[severity - 1] / 100f);
        FloatImage out = FloatImage.blank(img.channels(), h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey) {
                    out.set(0, y, x, back.getRaster().getSample(x, y, 0) / 255f);
                } else {
                    int rgb = back.getRGB(x, y);
                    out.set(0, y, x, (rgb >> 16 & 0xff) / 255f);
                    out.set(1, y, x, (rgb >> 8 & 0xff) / 255f);
                    out.set(2, y, x, (rgb & 0xff) / 255f);
                }
            }
        }
        return out;
    }

    private static BufferedImage roundTrip(BufferedImage bi, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(bi, null, null), p);
            stream.flush();
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
            if (back == null) {
                throw new IllegalStateException("the JDK's JPEG codec could not read its own output");
            }
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG round trip failed", e);
        } finally {
            writer.dispose();
        }
    }
}
