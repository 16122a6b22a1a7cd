package archway.search;

import archway.runtime.Backends;

/**
 * Random search directions for the zeroth-order estimators: z = g / ||g||, g ~ N(0, I_d) from the
 * Philox stream keyed (seed, {@value #PURPOSE}, index), which makes z uniform on the unit sphere and a
 * pure function of the run's seed and the update index, so a resumed run draws the same directions.
 */
public final class ZoDirection {
    /** Philox purpose code of ZO directions (alpha initialisation is 2, weight initialisation 1). */
    public static final int PURPOSE = 7;

    private ZoDirection() {
    }

    /** The unit direction of dimension {@code d} for draw {@code index}. */
    public static double[] unit(int d, long seed, int index) {
        double[] z = new double[d];
        float[] s = Backends.standard().normalToHost(d, seed, PURPOSE, index);
        {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                z[i] = s[i];
                norm += z[i] * z[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                z[i] /= norm;
            }
        }
        return z;
    }
}
