package archway.evo;

/** A regression model fitted on (genome features, objective value) pairs; predicts the value of new genomes. */
public interface Surrogate {
    double predict(double[] x);

    /** How to fit one; {@code seed} feeds any randomness (bootstrap, feature sampling). */
    interface Kind {
        String name();

        Surrogate fit(double[][] x, double[] y, long seed);
    }
}
