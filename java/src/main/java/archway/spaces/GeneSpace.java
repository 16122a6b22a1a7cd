package archway.spaces;

import java.util.random.RandomGenerator;

/**
 * A fixed-length integer genome: gene i is an index into a choice list of {@code cardinality()[i]} entries.
 * {@link #canonical} maps genomes that decode to the same architecture (e.g. differing only in unused layer
 * slots) to one representative, which is what duplicate removal and the archive compare.
 */
public interface GeneSpace {
    int[] cardinality();

    /** A uniformly random valid genome. */
    int[] sample(RandomGenerator rng);

    /** The representative of the genome's architecture; the identity when every gene matters. */
    default int[] canonical(int[] genes) {
        return genes.clone();
    }

    /** A uniform space with the given cardinalities and no unused genes. */
    static GeneSpace uniform(int... cardinality) {
        int[] card = cardinality.clone();
        return new GeneSpace() {
            @Override
            public int[] cardinality() {
                return card.clone();
            }

            @Override
            public int[] sample(RandomGenerator rng) {
                int[] g = new int[card.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = rng.nextInt(card[i]);
                }
                return g;
            }
        };
    }
}
