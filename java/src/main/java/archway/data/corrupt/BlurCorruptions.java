package archway.data.corrupt;

import java.util.SplittableRandom;

/** Defocus, glass, motion and zoom blur; parameters of CIFAR-10-C except glass blur (see there). */
final class BlurCorruptions {
    /** Disk radius and the Gaussian sigma that anti-aliases it. */
    static final double[][] DEFOCUS = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};
    /** Largest pixel displacement (ours; see {@link #glass}); the blur around it is fixed. */
    static final double[] GLASS = {0.6, 0.9, 1.2, 1.6, 2.0};
    static final double GLASS_SIGMA = 0.3;
    /** Kernel radius and sigma of the one-sided motion kernel. */
    static final double[][] MOTION = {{10, 1}, {10, 1.5}, {10, 2}, {10, 2.5}, {12, 3}};
    /** Largest zoom factor; zooms 1, 1.01, ... up to it are averaged. */
    static final double[] ZOOM_MAX = {1.06, 1.11, 1.16, 1.21, 1.26};

    private BlurCorruptions() {
    }

    static FloatImage defocus(FloatImage img, int severity, SplittableRandom rng) {
        double radius = DEFOCUS[severity - 1][0];
        double alias = DEFOCUS[severity - 1][1];
        int r = Math.max(1, (int) Math.ceil(radius)) + 1;    // room for the 3x3 anti-aliasing blur
        int size = 2 * r + 1;
        double[][] disk = new double[size][size];
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                disk[y + r][x + r] = x * x + y * y <= radius * radius ? 1 : 0;
            }
        }
        double[] g = new double[3];
        for (int i = -1; i <= 1; i++) {
            g[i + 1] = Math.exp(-0.5 * i * i / (alias * alias));
        }
        double[][] kernel = new double[size][size];
        double sum = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < size && xx >= 0 && xx < size) {
                            s += g[dy + 1] * g[dx + 1] * disk[yy][xx];
                        }
                    }
                }
                kernel[y][x] = s;
                sum += s;
            }
        }
        for (double[] row : kernel) {
            for (int x = 0; x < size; x++) {
                row[x] /= sum;
            }
        }
        return Planes.convolve(img, kernel).clip();
    }

    /**
     * Blur, let every pixel take the (bilinearly sampled) value at a random offset of up to the displacement in
     * each axis, blur again. (CIFAR-10-C swaps pixels sequentially, which carries values arbitrarily far on small
     * images and is not monotone in its parameters; and a stronger second blur there hides the scrambling.) One
     * uniform draw per pixel and axis, scaled by the severity's displacement, so severities share randomness.
     */
    static FloatImage glass(FloatImage img, int severity, SplittableRandom rng) {
        double delta = GLASS[severity - 1];
        int h = img.height();
        int w = img.width();
        FloatImage x = Planes.gaussianBlur(img, GLASS_SIGMA);
        FloatImage moved = FloatImage.blank(img.channels(), h, w);
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                double ny = yy + delta * rng.nextDouble(-1, 1);
                double nx = xx + delta * rng.nextDouble(-1, 1);
                for (int c = 0; c < img.channels(); c++) {
                    moved.set(c, yy, xx, Planes.bilinear(x, c, ny, nx));
                }
            }
        }
        return Planes.gaussianBlur(moved, GLASS_SIGMA).clip();
    }

    /** A one-sided Gaussian kernel along a random direction (angle uniform in [-45, 45) degrees). */
    static FloatImage motion(FloatImage img, int severity, SplittableRandom rng) {
        double angle = Math.toRadians(rng.nextDouble(-45, 45));
        return motionAlong(img, MOTION[severity - 1][0], MOTION[severity - 1][1], angle);
    }

    static FloatImage motionAlong(FloatImage img, double radius, double sigma, double angle) {
        int taps = (int) radius + 1;
        double[] weight = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            weight[i] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += weight[i];
        }
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        FloatImage out = FloatImage.blank(img.channels(), img.height(), img.width());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    double s = 0;
                    for (int i = 0; i < taps; i++) {
                        s += weight[i] * Planes.bilinear(img, c, y - i * sin, x - i * cos);
                    }
                    out.set(c, y, x, (float) (s / sum));
                }
            }
        }
        return out.clip();
    }

    /** The mean of the image and its magnifications by 1.01, 1.02, ... up to the severity's factor. */
    static FloatImage zoom(FloatImage img, int severity, SplittableRandom rng) {
        double max = ZOOM_MAX[severity - 1];
        FloatImage acc = img.copy();
        int count = 1;
        for (int step = 1; 1 + step * 0.01 < max - 1e-9; step++) {
            FloatImage z = Planes.zoom(img, 1 + step * 0.01);
            float[] a = acc.data();
            float[] b = z.data();
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            count++;
        }
        float[] a = acc.data();
        for (int i = 0; i < a.length; i++) {
            a[i] /= count;
        }
        return acc.clip();
    }
}
