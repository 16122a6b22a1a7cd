package archway.nachos;

import archway.spaces.GeneSpace;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3GeneSpace;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The NACHOS genome: the mbv3 backbone genes followed by the {@link ExitPlacement#GENES} exit bits. Sampling draws
 * the bits uniformly among the placements with at least one early exit; a genome without one (crossover and
 * mutation can make it) is canonicalised to an exit after stage 4, the cheapest repair that keeps the backbone.
 */
public record NachosGeneSpace(Mbv3GeneSpace backbone) implements GeneSpace {
    /** The backbone network with its exit placement. */
    public record Decoded(Mbv3Arch arch, ExitPlacement exits) {
    }

    public int length() {
        return backbone.length() + ExitPlacement.GENES;
    }

    @Override
    public int[] cardinality() {
        int[] c = Arrays.copyOf(backbone.cardinality(), length());
        Arrays.fill(c, backbone.length(), length(), 2);
        return c;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        int[] g = Arrays.copyOf(backbone.sample(rng), length());
        int pattern = 1 + rng.nextInt((1 << ExitPlacement.GENES) - 1);
        for (int b = 0; b < ExitPlacement.GENES; b++) {
            g[backbone.length() + b] = (pattern >> b) & 1;
        }
        return g;
    }

    @Override
    public int[] canonical(int[] genes) {
        check(genes);
        int[] c = Arrays.copyOf(backbone.canonical(Arrays.copyOf(genes, backbone.length())), length());
        boolean any = false;
        for (int b = 0; b < ExitPlacement.GENES; b++) {
            c[backbone.length() + b] = genes[backbone.length() + b];
            any |= genes[backbone.length() + b] == 1;
        }
        if (!any) {
            c[length() - 1] = 1;
        }
        return c;
    }

    public Decoded decode(int[] genes) {
        int[] c = canonical(genes);
        return new Decoded(backbone.decode(Arrays.copyOf(c, backbone.length())),
                ExitPlacement.ofGenes(Arrays.copyOfRange(c, backbone.length(), length())));
    }

    private void check(int[] genes) {
        if (genes.length != length()) {
            throw new IllegalArgumentException("need " + length() + " genes, got " + genes.length);
        }
    }
}
