package archway.search;

/**
 * The step-wise annealing of the sparsemax temperature: T(epoch) = T0 * decay^floor(epoch / every)
 * (specs/zo-darts.md: 1.5 * 0.75^floor(epoch/5)). Lower T sharpens sparsemax(theta / T), so more
 * mixing weights become exactly zero as the search goes on.
 */
public record ZoTemperature(double t0, double decay, int every) {
    public ZoTemperature {
        if (!(t0 > 0) || !(decay > 0) || every < 1) {
            throw new IllegalArgumentException("temperature needs T0 > 0, decay > 0, every >= 1");
        }
    }

    /** Temperature during 0-based {@code epoch}. */
    public double at(int epoch) {
        return t0 * Math.pow(decay, Math.floorDiv(epoch, every));
    }
}
