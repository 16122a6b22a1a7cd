package archway.spaces.mbv3;

import archway.spaces.GeneSpace;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The mbv3 genome for NSGA-II: 45 indices (5 depths, 20 kernels, 20 expand ratios, each an index into its
 * choice list in {@link Mbv3Space}) plus one index into {@code resolutions} when the resolution is searched.
 * Canonical form: the kernel and expand genes of unused slots set to 0, so genomes that build the same network
 * compare equal.
 */
public final class Mbv3GeneSpace implements GeneSpace {
    public static final int BASE_GENES = Mbv3Space.STAGES + 2 * Mbv3Space.SLOTS;
    private static final int KERNEL_AT = Mbv3Space.STAGES;
    private static final int EXPAND_AT = KERNEL_AT + Mbv3Space.SLOTS;

    private final List<Integer> resolutions;

    /** @param resolutions the input resolutions searched over; empty = resolution not searched (the dataset's) */
    public Mbv3GeneSpace(List<Integer> resolutions) {
        this.resolutions = List.copyOf(resolutions);
    }

    public List<Integer> resolutions() {
        return resolutions;
    }

    public int length() {
        return BASE_GENES + (resolutions.isEmpty() ? 0 : 1);
    }

    @Override
    public int[] cardinality() {
        int[] c = new int[length()];
        for (int i = 0; i < BASE_GENES; i++) {
            c[i] = i < KERNEL_AT ? Mbv3Space.DEPTHS.size() : i < EXPAND_AT ? Mbv3Space.KERNELS.size() : Mbv3Space.EXPANDS.size();
        }
        if (!resolutions.isEmpty()) {
            c[BASE_GENES] = resolutions.size();
        }
        return c;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        int[] card = cardinality();
        int[] g = new int[card.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextInt(card[i]);
        }
        return g;
    }

    @Override
    public int[] canonical(int[] genes) {
        checkLength(genes);
        int[] c = genes.clone();
        for (int s = 0; s < Mbv3Space.STAGES; s++) {
            int depth = Mbv3Space.DEPTHS.get(genes[s]);
            for (int l = depth; l < Mbv3Space.SLOTS_PER_STAGE; l++) {
                c[KERNEL_AT + s * Mbv3Space.SLOTS_PER_STAGE + l] = 0;
                c[EXPAND_AT + s * Mbv3Space.SLOTS_PER_STAGE + l] = 0;
            }
        }
        return c;
    }

    public Mbv3Arch decode(int[] genes) {
        checkLength(genes);
        int[] d = new int[Mbv3Space.STAGES];
        int[] k = new int[Mbv3Space.SLOTS];
        int[] e = new int[Mbv3Space.SLOTS];
        for (int s = 0; s < d.length; s++) {
            d[s] = Mbv3Space.DEPTHS.get(genes[s]);
        }
        for (int i = 0; i < Mbv3Space.SLOTS; i++) {
            k[i] = Mbv3Space.KERNELS.get(genes[KERNEL_AT + i]);
            e[i] = Mbv3Space.EXPANDS.get(genes[EXPAND_AT + i]);
        }
        int r = resolutions.isEmpty() ? 0 : resolutions.get(genes[BASE_GENES]);
        return new Mbv3Arch(d, k, e, r);
    }

    /** @throws IllegalArgumentException when the resolution is searched and the arch's is not among the choices */
    public int[] encode(Mbv3Arch a) {
        int[] g = new int[length()];
        for (int s = 0; s < Mbv3Space.STAGES; s++) {
            g[s] = Mbv3Space.DEPTHS.indexOf(a.depth(s));
        }
        int[] k = a.kernels();
        int[] e = a.expands();
        for (int i = 0; i < Mbv3Space.SLOTS; i++) {
            g[KERNEL_AT + i] = Mbv3Space.KERNELS.indexOf(k[i]);
            g[EXPAND_AT + i] = Mbv3Space.EXPANDS.indexOf(e[i]);
        }
        if (!resolutions.isEmpty()) {
            int r = resolutions.indexOf(a.resolution());
            if (r < 0) {
                throw new IllegalArgumentException("resolution " + a.resolution() + " is not one of " + resolutions);
            }
            g[BASE_GENES] = r;
        }
        return g;
    }

    private void checkLength(int[] genes) {
        if (genes.length != length()) {
            throw new IllegalArgumentException("mbv3 genome has " + genes.length + " genes, expected " + length());
        }
        int[] card = cardinality();
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0 || genes[i] >= card[i]) {
                throw new IllegalArgumentException("mbv3 gene " + i + " = " + genes[i] + " outside [0, " + card[i] + ")");
            }
        }
    }
}
