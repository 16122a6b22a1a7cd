package archway.nachos;

/**
 * How one early-exit network is trained and tuned (docs/NACHOS.md): {@code epochs} of backbone training (SGD with
 * momentum, cosine from {@code lr} to {@code lrMin}) and then {@code epochs} of exit-head training with the NACHOS
 * loss (L_sup from exit epoch {@code nSup} on); a seeded {@link #VALIDATION_FRACTION} of the (limited) training
 * images is held out of both for threshold tuning. {@code macsMax} is per image, {@code top1Min} a fraction.
 */
public record NachosTrainConfig(int epochs, int batch, double lr, double lrMin, double momentum, double weightDecay,
        long seed, int threads, int trainLimit, double macsMax, double top1Min, double wMacs, double wSup, int nSup) {
    public static final double VALIDATION_FRACTION = 0.2;

    public NachosTrainConfig {
        if (epochs < 1 || batch < 1 || threads < 1 || macsMax <= 0 || top1Min < 0 || top1Min > 1 || nSup < 0) {
            throw new IllegalArgumentException("bad NACHOS training configuration " + epochs + " epochs, batch " + batch
                    + ", " + threads + " threads, MACs max " + macsMax + ", top-1 min " + top1Min + ", n_sup " + nSup);
        }
    }
}
