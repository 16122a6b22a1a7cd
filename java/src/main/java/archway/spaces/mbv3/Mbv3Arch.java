package archway.spaces.mbv3;

import java.util.Arrays;

/**
 * One subnet of the space by value: layers used per stage, kernel and expand ratio per slot (slots beyond a
 * stage's depth are carried but ignored), and the input resolution (0 = the dataset's).
 */
public record Mbv3Arch(int[] depths, int[] kernels, int[] expands, int resolution) {
    public Mbv3Arch {
        if (depths.length != Mbv3Space.STAGES || kernels.length != Mbv3Space.SLOTS || expands.length != Mbv3Space.SLOTS) {
            throw new IllegalArgumentException("mbv3 needs " + Mbv3Space.STAGES + " depths and " + Mbv3Space.SLOTS
                    + " kernels and expand ratios, got " + depths.length + ", " + kernels.length + ", " + expands.length);
        }
        check("d", depths, Mbv3Space.DEPTHS);
        check("ks", kernels, Mbv3Space.KERNELS);
        check("e", expands, Mbv3Space.EXPANDS);
        if (resolution < 0) {
            throw new IllegalArgumentException("resolution must be >= 0 (0 = the dataset's), got " + resolution);
        }
        depths = depths.clone();
        kernels = kernels.clone();
        expands = expands.clone();
    }

    private static void check(String name, int[] values, java.util.List<Integer> allowed) {
        for (int v : values) {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(name + " value " + v + " is not one of " + allowed);
            }
        }
    }

    /** The largest subnet: 4 layers per stage, 7x7 kernels, expand 6. */
    public static Mbv3Arch largest() {
        return uniform(4, 7, 6);
    }

    /** The smallest subnet: 2 layers per stage, 3x3 kernels, expand 3. */
    public static Mbv3Arch smallest() {
        return uniform(2, 3, 3);
    }

    public static Mbv3Arch uniform(int depth, int kernel, int expand) {
        int[] d = new int[Mbv3Space.STAGES];
        int[] k = new int[Mbv3Space.SLOTS];
        int[] e = new int[Mbv3Space.SLOTS];
        Arrays.fill(d, depth);
        Arrays.fill(k, kernel);
        Arrays.fill(e, expand);
        return new Mbv3Arch(d, k, e, 0);
    }

    @Override
    public int[] depths() {
        return depths.clone();
    }

    @Override
    public int[] kernels() {
        return kernels.clone();
    }

    @Override
    public int[] expands() {
        return expands.clone();
    }

    public int depth(int stage) {
        return depths[stage];
    }

    public int kernel(int stage, int layer) {
        return kernels[stage * Mbv3Space.SLOTS_PER_STAGE + layer];
    }

    public int expand(int stage, int layer) {
        return expands[stage * Mbv3Space.SLOTS_PER_STAGE + layer];
    }

    /** The same subnet at another input resolution (0 = the dataset's). */
    public Mbv3Arch withResolution(int r) {
        return new Mbv3Arch(depths, kernels, expands, r);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mbv3Arch a && Arrays.equals(depths, a.depths) && Arrays.equals(kernels, a.kernels)
                && Arrays.equals(expands, a.expands) && resolution == a.resolution;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(depths) * 31 + Arrays.hashCode(kernels) * 17 + Arrays.hashCode(expands) + resolution;
    }

    @Override
    public String toString() {
        return Mbv3Json.write(this);
    }
}
