package archway.data.corrupt;

/**
 * One image as floats in [0, 1], channel-major (CHW), the working form of the corruptions. Mutable: the
 * corruption code writes into fresh instances only.
 */
public record FloatImage(int channels, int height, int width, float[] data) {
    public FloatImage {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException(data.length + " values for " + channels + "x" + height + "x" + width);
        }
    }

    public static FloatImage blank(int channels, int height, int width) {
        return new FloatImage(channels, height, width, new float[channels * height * width]);
    }

    /** From uint8 pixels (CHW bytes). */
    public static FloatImage fromBytes(byte[] pixels, int off, int channels, int height, int width) {
        float[] d = new float[channels * height * width];
        for (int i = 0; i < d.length; i++) {
            d[i] = (pixels[off + i] & 0xff) / 255f;
        }
        return new FloatImage(channels, height, width, d);
    }

    /** To uint8 pixels, clipped to [0, 1] and rounded half up. */
    public void toBytes(byte[] out, int off) {
        for (int i = 0; i < data.length; i++) {
            float v = Math.min(1f, Math.max(0f, data[i]));
            out[off + i] = (byte) (int) (v * 255f + 0.5f);
        }
    }

    public int planeSize() {
        return height * width;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    public void set(int c, int y, int x, float v) {
        data[(c * height + y) * width + x] = v;
    }

    public FloatImage copy() {
        return new FloatImage(channels, height, width, data.clone());
    }

    public FloatImage clip() {
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.min(1f, Math.max(0f, data[i]));
        }
        return this;
    }

    /** Root-mean-square difference to another image of the same shape. */
    public double rmsDistance(FloatImage other) {
        double s = 0;
        for (int i = 0; i < data.length; i++) {
            double d = data[i] - other.data[i];
            s += d * d;
        }
        return Math.sqrt(s / data.length);
    }
}
