package archway.data;

/**
 * Training-time augmentation on uint8 CHW images, applied by the batch loader before normalisation:
 * random crop after zero padding of {@code padding} pixels per side (offsets uniform in [0, 2*padding]),
 * optional horizontal flip (probability 1/2), optional cutout of a {@code cutout x cutout} square centred
 * uniformly in the image and clipped to it. Cutout fills with the channel mean (as a byte) rather than 0,
 * so after normalisation the square is ~0, as in DARTS where cutout runs on normalised tensors.
 *
 * @param padding crop padding per side; 0 disables cropping
 * @param flip    random horizontal flip; off for digit-like and grey datasets by default
 * @param cutout  side of the cutout square; 0 disables it
 */
public record Augmentation(int padding, boolean flip, int cutout) {
    /** No augmentation (evaluation, tests). */
    public static final Augmentation NONE = new Augmentation(0, false, 0);

    public Augmentation {
        if (padding < 0 || cutout < 0) {
            throw new IllegalArgumentException("padding and cutout must be >= 0");
        }
    }

    /** Crop with padding 4; flip only for colour (natural-image) datasets; no cutout. */
    public static Augmentation defaultFor(Dataset ds) {
        return new Augmentation(4, ds.channels() == 3, 0);
    }

    public Augmentation withFlip(boolean f) {
        return new Augmentation(padding, f, cutout);
    }

    public Augmentation withCutout(int size) {
        return new Augmentation(padding, flip, size);
    }

    public Augmentation withPadding(int p) {
        return new Augmentation(p, flip, cutout);
    }

    public boolean isIdentity() {
        return padding == 0 && !flip && cutout == 0;
    }

    /**
     * Crop-and-flip of one image: {@code dst[ch][y][x] = src[ch][y + dy - padding][x' + dx - padding]} with
     * {@code x' = flip ? w-1-x : x}, and 0 where that falls in the padding.
     *
     * @param dy row offset in [0, 2*padding]
     * @param dx column offset in [0, 2*padding]
     */
    public static void cropFlip(byte[] src, int srcOff, byte[] dst, int dstOff, int c, int h, int w, int padding,
                                int dy, int dx, boolean flip) {
        if (dy < 0 || dx < 0 || dy > 2 * padding || dx > 2 * padding) {
            throw new IllegalArgumentException("crop offsets (" + dy + ", " + dx + ") outside [0, " + 2 * padding + "]");
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy - padding;
                int drow = dstOff + plane + y * w;
                if (sy < 0 || sy >= h) {
                    java.util.Arrays.fill(dst, drow, drow + w, (byte) 0);
                    continue;
                }
                int srow = srcOff + plane + sy * w;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx - padding;
                    dst[drow + x] = sx < 0 || sx >= w ? 0 : src[srow + sx];
                }
            }
        }
    }

    /** Fills the {@code size x size} square with top-left (cy - size/2, cx - size/2), clipped, with fill[ch]. */
    public static void cutout(byte[] img, int off, int c, int h, int w, int size, int cy, int cx, byte[] fill) {
        int y0 = Math.max(0, cy - size / 2);
        int y1 = Math.min(h, cy - size / 2 + size);
        int x0 = Math.max(0, cx - size / 2);
        int x1 = Math.min(w, cx - size / 2 + size);
        for (int ch = 0; ch < c; ch++) {
            for (int y = y0; y < y1; y++) {
                int row = off + (ch * h + y) * w;
                java.util.Arrays.fill(img, row + x0, row + Math.max(x0, x1), fill[ch]);
            }
        }
    }

    /**
     * Augments one image from src into dst, drawing its parameters from {@code rnd} in a fixed order
     * (crop row, crop column, flip, cutout row, cutout column; each only when enabled).
     */
    void apply(byte[] src, int srcOff, byte[] dst, int dstOff, int c, int h, int w, SeedStream rnd, byte[] fill) {
        int dy = padding > 0 ? rnd.nextInt(2 * padding + 1) : 0;
        int dx = padding > 0 ? rnd.nextInt(2 * padding + 1) : 0;
        boolean f = flip && rnd.nextBoolean();
        cropFlip(src, srcOff, dst, dstOff, c, h, w, padding, dy, dx, f);
        if (cutout > 0) {
            int cy = rnd.nextInt(h);
            int cx = rnd.nextInt(w);
            cutout(dst, dstOff, c, h, w, cutout, cy, cx, fill);
        }
    }
}
