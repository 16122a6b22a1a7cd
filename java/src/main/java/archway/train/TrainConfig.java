package archway.train;

import java.nio.file.Path;

/**
 * Training of one discrete network from scratch (NAS-Bench-201-style recipe: SGD, Nesterov momentum,
 * cosine learning rate, weight decay, gradient clipping).
 *
 * @param arch       NB201 architecture string (space nb201) or DARTS Genotype text (space darts)
 * @param trainLimit use only this many training images (a seeded random subset; 0 = all)
 */
public record TrainConfig(String space, String arch, String dataset, Path dataDir, int epochs, int channels, int cells,
                          int batch, long seed, int threads, double lr, double lrMin, double momentum,
                          double weightDecay, boolean nesterov, double gradClip, int trainLimit, Path out) {
    public TrainConfig {
        if (epochs < 1 || channels < 1 || cells < 1 || batch < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, channels, cells, batch and threads must all be >= 1");
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0");
        }
        if (!(lr > 0) || lrMin < 0 || momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("learning rates must be > 0, momentum and weight decay >= 0");
        }
    }
}
