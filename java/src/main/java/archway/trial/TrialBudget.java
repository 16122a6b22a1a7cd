package archway.trial;

/**
 * How much training one trial gets: epochs, and at most {@code trainLimit} training images (a seeded
 * subset; 0 = all).
 */
public record TrialBudget(int epochs, int trainLimit) {
    public TrialBudget {
        if (epochs < 0 || trainLimit < 0) {
            throw new IllegalArgumentException("bad trial budget: " + epochs + " epochs, limit " + trainLimit);
        }
    }
}
