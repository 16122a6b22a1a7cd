package archway.evo;

import archway.spaces.GeneSpace;
import archway.trial.TrialSpec;
import java.util.List;

/**
 * What the surrogate-assisted search needs to know about a problem: its genome, how a genome becomes a trial,
 * and how the archive's measured metrics become objective values (all minimised). Objectives that are cheap
 * and exact (e.g. parameter count) are computed directly for candidates; the others are predicted by
 * surrogates fitted on the archive.
 */
public interface EvoProblem {
    GeneSpace space();

    int objectiveCount();

    /** Whether candidates get objective m from a surrogate (else from {@link #exactObjective}). */
    boolean predicted(int m);

    /** Objective m of a genome without training; only called when {@code !predicted(m)}. */
    double exactObjective(int m, int[] genes);

    /**
     * Real objective values of every member, row per member. Given the whole archive because objectives may be
     * normalised over it (FlatNAS's alpha_norm).
     */
    double[][] objectives(List<ArchiveMember> archive);

    /** Whether a member counts for the front and the hypervolume (e.g. within the parameter limit). */
    boolean feasible(ArchiveMember member);

    /** The trial that measures a canonical genome. */
    TrialSpec trial(int[] genes);

    /** Surrogate input for a genome: by default each gene scaled to [0, 1] by its cardinality. */
    default double[] features(int[] genes) {
        int[] card = space().cardinality();
        double[] f = new double[genes.length];
        for (int i = 0; i < genes.length; i++) {
            f[i] = card[i] > 1 ? genes[i] / (double) (card[i] - 1) : 0;
        }
        return f;
    }
}
