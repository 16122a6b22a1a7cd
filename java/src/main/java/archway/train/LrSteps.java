package archway.train;

/**
 * When the cosine learning rate of {@code nas train} moves: every step (as PyTorch recipes that call
 * the scheduler per batch; a short run then anneals smoothly to --lr-min) or once per epoch (torch's
 * CosineAnnealingLR stepped per epoch, the recipe of NAS-Bench-201's long runs).
 */
public enum LrSteps {
    STEP, EPOCH;

    /** Position on the schedule, in epochs, of step {@code step} of {@code steps} in {@code epoch}. */
    public double progress(int epoch, int step, int steps) {
        return this == EPOCH ? epoch : epoch + (double) step / steps;
    }

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static LrSteps parse(String s) {
        for (LrSteps v : values()) {
            if (v.cliName().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("--lr-steps must be step or epoch; got '" + s + "'");
    }
}
