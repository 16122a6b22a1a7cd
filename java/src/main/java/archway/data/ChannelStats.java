package archway.data;

/**
 * Per-channel mean and standard deviation of a dataset's pixels in [0, 1] units (pixel / 255),
 * population statistics over all images and positions. These are the normalisation constants:
 * {@code x' = (x / 255 - mean[c]) / std[c]}.
 */
public record ChannelStats(double[] mean, double[] std) {
    public ChannelStats {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one entry per channel");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Exact statistics of {@code ds} (integer sums, so the result does not depend on summation order). */
    public static ChannelStats of(Dataset ds) {
        int c = ds.channels();
        int hw = ds.height() * ds.width();
        byte[] img = ds.imageBytes();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        for (int i = 0; i < ds.size(); i++) {
            int base = i * ds.imageSize();
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long s2 = 0;
                for (int p = base + ch * hw, end = p + hw; p < end; p++) {
                    int v = img[p] & 0xff;
                    s += v;
                    s2 += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        double count = (double) ds.size() * hw;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            double var = sumSq[ch] / count - m * m;
            mean[ch] = m / 255.0;
            // A constant channel would divide by zero; 1 keeps the data unchanged but centred.
            std[ch] = var > 0 ? Math.sqrt(var) / 255.0 : 1.0;
        }
        return new ChannelStats(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** Mean of channel c in [0, 1] units. */
    public double mean(int c) {
        return mean[c];
    }

    public double std(int c) {
        return std[c];
    }
}
