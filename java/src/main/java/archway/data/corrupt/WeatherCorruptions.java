package archway.data.corrupt;

import java.util.SplittableRandom;

/**
 * Snow, frost and fog. Snow and fog follow CIFAR-10-C's recipes and parameters; frost there blends in
 * photographs of frost, for which we synthesise a texture instead (a rough plasma fractal with bright
 * crystal streaks), screen-blended with a strength that grows with severity (CIFAR-10-C's weighted sum also
 * darkens the image and so is not monotone in severity).
 */
final class WeatherCorruptions {
    /** Snow: noise mean, noise sd, zoom, threshold, motion radius, motion sigma, blend of the image. */
    static final double[][] SNOW = {
        {0.1, 0.2, 1, 0.6, 8, 3, 0.95},
        {0.1, 0.2, 1, 0.5, 10, 4, 0.9},
        {0.15, 0.3, 1.75, 0.55, 10, 4, 0.9},
        {0.25, 0.3, 2.25, 0.6, 12, 6, 0.85},
        {0.3, 0.3, 1.25, 0.65, 14, 12, 0.8}};
    /** Frost: strength of the screen blend of the frost texture. */
    static final double[] FROST = {0.3, 0.45, 0.6, 0.7, 0.8};
    /** Fog: strength, roughness decay of the plasma fractal. */
    static final double[][] FOG = {{0.2, 3}, {0.5, 3}, {0.75, 2.5}, {1, 2}, {1.5, 1.75}};

    private WeatherCorruptions() {
    }

    static FloatImage snow(FloatImage img, int severity, SplittableRandom rng) {
        double[] c = SNOW[severity - 1];
        int h = img.height();
        int w = img.width();
        FloatImage layer = FloatImage.blank(1, h, w);
        float[] z = new float[h * w];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        double angle = Math.toRadians(rng.nextDouble(-135, -45));
        for (int i = 0; i < z.length; i++) {
            layer.data()[i] = (float) (c[0] + c[1] * z[i]);
        }
        layer = Planes.zoom(layer, c[2]);
        float[] s = layer.data();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < c[3]) {
                s[i] = 0;
            }
        }
        layer = BlurCorruptions.motionAlong(layer.clip(), c[4], c[5], angle);
        float[] grey = Planes.grey(img);
        FloatImage out = img.copy();
        float[] d = out.data();
        float[] flakes = layer.data();
        int n = h * w;
        for (int ch = 0; ch < img.channels(); ch++) {
            for (int i = 0; i < n; i++) {
                float x = d[ch * n + i];
                float lifted = (float) (c[6] * x + (1 - c[6]) * Math.max(x, grey[i] * 1.5 + 0.5));
                d[ch * n + i] = lifted + flakes[i] + flakes[n - 1 - i];   // the layer and its 180-degree rotation
            }
        }
        return out.clip();
    }

    static FloatImage frost(FloatImage img, int severity, SplittableRandom rng) {
        double a = FROST[severity - 1];
        float[] texture = frostTexture(img.height(), img.width(), rng);
        FloatImage out = img.copy();
        float[] d = out.data();
        int n = img.planeSize();
        for (int ch = 0; ch < img.channels(); ch++) {
            for (int i = 0; i < n; i++) {
                float x = d[ch * n + i];
                d[ch * n + i] = (float) (x + a * texture[i] * (1 - x));   // screen blend: frost only brightens
            }
        }
        return out.clip();
    }

    static FloatImage fog(FloatImage img, int severity, SplittableRandom rng) {
        double[] c = FOG[severity - 1];
        float[] plasma = plasma(img.height(), img.width(), c[1], rng);
        FloatImage out = img.copy();
        float[] d = out.data();
        float max = 0;
        for (float v : d) {
            max = Math.max(max, v);
        }
        int n = img.planeSize();
        for (int ch = 0; ch < img.channels(); ch++) {
            for (int i = 0; i < n; i++) {
                d[ch * n + i] = (float) ((d[ch * n + i] + c[0] * plasma[i]) * max / (max + c[0]));
            }
        }
        return out.clip();
    }

    /**
     * A frost-like texture in [0, 1]: a rough plasma fractal, squared to leave mostly dark with bright patches,
     * plus a few short bright streaks (ice crystals).
     */
    static float[] frostTexture(int h, int w, SplittableRandom rng) {
        float[] t = plasma(h, w, 1.5, rng);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i] * t[i];
        }
        int streaks = Math.max(4, h * w / 64);
        for (int k = 0; k < streaks; k++) {
            double y = rng.nextDouble(h);
            double x = rng.nextDouble(w);
            double a = rng.nextDouble(Math.PI);
            int len = 2 + rng.nextInt(Math.max(3, h / 6));
            for (int s = 0; s < len; s++) {
                int yy = (int) (y + s * Math.sin(a));
                int xx = (int) (x + s * Math.cos(a));
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                    t[yy * w + xx] = Math.min(1f, t[yy * w + xx] + 0.6f);
                }
            }
        }
        return t;
    }

    /**
     * Diamond-square plasma fractal on a torus of size the next power of two >= max(h, w), cropped to h x w and
     * scaled to [0, 1]; the random displacement shrinks by {@code decay} per level (larger = smoother).
     */
    static float[] plasma(int h, int w, double decay, SplittableRandom rng) {
        int size = Integer.highestOneBit(Math.max(2, Math.max(h, w) - 1)) << 1;
        double[][] m = new double[size][size];
        double wibble = 100;
        for (int step = size; step >= 2; step /= 2) {
            int half = step / 2;
            for (int y = 0; y < size; y += step) {          // squares: centre = mean of 4 corners + noise
                for (int x = 0; x < size; x += step) {
                    double mean = (m[y][x] + m[(y + step) % size][x] + m[y][(x + step) % size]
                            + m[(y + step) % size][(x + step) % size]) / 4;
                    m[y + half][x + half] = mean + wibble * rng.nextDouble(-1, 1);
                }
            }
            for (int y = 0; y < size; y += half) {          // diamonds: edge midpoints from their 4 neighbours
                for (int x = (y / half % 2 == 0) ? half : 0; x < size; x += step) {
                    double mean = (m[(y - half + size) % size][x] + m[(y + half) % size][x]
                            + m[y][(x - half + size) % size] + m[y][(x + half) % size]) / 4;
                    m[y][x] = mean + wibble * rng.nextDouble(-1, 1);
                }
            }
            wibble /= decay;
        }
        float[] out = new float[h * w];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                lo = Math.min(lo, m[y][x]);
                hi = Math.max(hi, m[y][x]);
            }
        }
        double range = hi > lo ? hi - lo : 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) ((m[y][x] - lo) / range);
            }
        }
        return out;
    }
}
