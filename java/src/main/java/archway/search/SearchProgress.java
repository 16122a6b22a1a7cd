package archway.search;

import archway.run.Checkpoint;

/**
 * The driver's progress across epochs, as kept in the checkpoint: epochs done, search seconds so far and
 * the lowest-validation-loss genotype. Algorithm state (optimisers, theta) is the algorithm's own entry.
 *
 * @param epoch        epochs completed
 * @param seconds      search wall time so far
 * @param bestValLoss  lowest validation loss so far (+infinity before the first epoch)
 * @param bestEpoch    its 1-based epoch (-1 before the first epoch)
 * @param bestGenotype its genotype ("" before the first epoch)
 * @param genotype     the genotype after the last completed epoch ("" before the first)
 */
public record SearchProgress(int epoch, double seconds, double bestValLoss, int bestEpoch, String bestGenotype,
                             String genotype) {
    /** Before the first epoch. */
    public static SearchProgress start() {
        return new SearchProgress(0, 0, Double.POSITIVE_INFINITY, -1, "", "");
    }

    /** The progress after one more epoch that took {@code secs}, had validation loss {@code valLoss} and ended at {@code genotype}. */
    public SearchProgress after(double secs, double valLoss, String genotype) {
        boolean better = valLoss < bestValLoss;
        return new SearchProgress(epoch + 1, seconds + secs, better ? valLoss : bestValLoss, better ? epoch + 1 : bestEpoch,
                better ? genotype : bestGenotype, genotype);
    }

    void write(Checkpoint ck) {
        ck.putDoubles("progress", new double[] {epoch, seconds, bestValLoss, bestEpoch})
                .putString("best_genotype", bestGenotype)
                .putString("genotype", genotype);
    }

    static SearchProgress read(Checkpoint ck) {
        double[] p = ck.getDoubles("progress", 4);
        return new SearchProgress((int) p[0], p[1], p[2], (int) p[3], ck.getString("best_genotype"), ck.getString("genotype"));
    }
}
