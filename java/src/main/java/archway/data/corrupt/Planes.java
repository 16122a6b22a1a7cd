package archway.data.corrupt;

/**
 * Per-plane image operations the corruptions share: separable Gaussian blur (reflecting borders, as scipy's
 * gaussian_filter), 2-D convolution with a small kernel, bilinear sampling with clamped borders, and zoom
 * about the centre.
 */
final class Planes {
    private Planes() {
    }

    /** Gaussian blur of every channel; radius int(4 sigma + 0.5) as scipy's default truncation. */
    static FloatImage gaussianBlur(FloatImage img, double sigma) {
        if (sigma <= 0) {
            return img.copy();
        }
        int radius = Math.max(1, (int) (4 * sigma + 0.5));
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int h = img.height();
        int w = img.width();
        FloatImage tmp = FloatImage.blank(img.channels(), h, w);
        FloatImage out = FloatImage.blank(img.channels(), h, w);
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * img.get(c, y, reflect(x + i, w));
                    }
                    tmp.set(c, y, x, (float) s);
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * tmp.get(c, reflect(y + i, h), x);
                    }
                    out.set(c, y, x, (float) s);
                }
            }
        }
        return out;
    }

    /** Convolution of every channel with a square odd-sized kernel (correlation form), reflecting borders. */
    static FloatImage convolve(FloatImage img, double[][] kernel) {
        int r = kernel.length / 2;
        FloatImage out = FloatImage.blank(img.channels(), img.height(), img.width());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    double s = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        for (int dx = -r; dx <= r; dx++) {
                            s += kernel[dy + r][dx + r] * img.get(c, reflect(y + dy, img.height()), reflect(x + dx, img.width()));
                        }
                    }
                    out.set(c, y, x, (float) s);
                }
            }
        }
        return out;
    }

    /** Half-sample symmetric reflection (d c b a | a b c d | d c b a) into [0, n). */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** Bilinear sample of channel c at (y, x) in pixel coordinates, borders clamped. */
    static float bilinear(FloatImage img, int c, double y, double x) {
        int h = img.height();
        int w = img.width();
        y = Math.min(h - 1, Math.max(0, y));
        x = Math.min(w - 1, Math.max(0, x));
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        int y1 = Math.min(h - 1, y0 + 1);
        int x1 = Math.min(w - 1, x0 + 1);
        double fy = y - y0;
        double fx = x - x0;
        double top = img.get(c, y0, x0) * (1 - fx) + img.get(c, y0, x1) * fx;
        double bottom = img.get(c, y1, x0) * (1 - fx) + img.get(c, y1, x1) * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** The image magnified by {@code factor} >= 1 about its centre, cropped back to its size. */
    static FloatImage zoom(FloatImage img, double factor) {
        FloatImage out = FloatImage.blank(img.channels(), img.height(), img.width());
        double cy = (img.height() - 1) / 2.0;
        double cx = (img.width() - 1) / 2.0;
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    out.set(c, y, x, bilinear(img, c, cy + (y - cy) / factor, cx + (x - cx) / factor));
                }
            }
        }
        return out;
    }

    /** Luminance (ITU-R 601) of each pixel; the plane itself for one channel. */
    static float[] grey(FloatImage img) {
        int n = img.planeSize();
        float[] g = new float[n];
        if (img.channels() < 3) {
            System.arraycopy(img.data(), 0, g, 0, n);
            return g;
        }
        float[] d = img.data();
        for (int i = 0; i < n; i++) {
            g[i] = 0.299f * d[i] + 0.587f * d[n + i] + 0.114f * d[2 * n + i];
        }
        return g;
    }
}
