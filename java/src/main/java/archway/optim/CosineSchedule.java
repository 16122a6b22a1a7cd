package archway.optim;

/** lr(t) = min + (max - min)(1 + cos(pi t / T)) / 2, stepped per epoch like torch's CosineAnnealingLR. */
public record CosineSchedule(double max, double min, int epochs) {
    public double at(int epoch) {
        return at((double) epoch);
    }

    /** The rate at a fractional position {@code t} in epochs (per-step annealing). */
    public double at(double t) {
        if (epochs <= 0) {
            return max;
        }
        return min + (max - min) * (1 + Math.cos(Math.PI * t / epochs)) / 2;
    }
}
