package archway.search;

import archway.nn.NetworkBuilder;
import java.util.List;
import java.util.Map;

/**
 * What the ZO search needs from a space: the supernet, the architecture vector theta (its length may
 * grow once, when ZO-DARTS++ enables kernel and depth parameters), the map theta -> mixing weights
 * written into the network's MIX blocks, the chain rule back from dL/dmix to dL/dtheta, and the
 * discrete result.
 */
interface ZoArch extends AutoCloseable {
    NetworkBuilder supernet();

    /** MIX block names in flat-buffer order (for {@link MixWeights}). */
    List<String> mixBlocks();

    /** Length of theta in the current phase. */
    int size();

    /** Length of the op parameters alpha at the start of theta (mu is scaled by their norm only). */
    default int alphaSize() { return size(); }

    /** Computes the mixing weights for theta at temperature T (what {@link MixWeights#write} takes). */
    double[] mixing(double[] theta, double temperature);

    /** dL/dtheta from dL/dmix (the {@link MixWeights#readGrad} layout) at theta. */
    double[] backward(double[] theta, double temperature, double[] dMix);

    /** The simplex probabilities of theta, rows concatenated (reported in metrics). */
    double[] probabilities(double[] theta, double temperature);

    /** The derived architecture as a string, from probabilities p. */
    String genotype(double[] p);

    /** Extra per-epoch or result fields for probabilities p (may be empty). */
    Map<String, Object> describe(double[] p);

    /** v (theta or probabilities) as rows for JSON. */
    List<List<Double>> rows(double[] v);

    @Override
    void close();

    /** v split into rows of {@code cols} values (for JSON). */
    static List<List<Double>> rowsOf(double[] v, int cols) {
        List<List<Double>> out = new java.util.ArrayList<>();
        for (int r = 0; r < v.length / cols; r++) {
            List<Double> row = new java.util.ArrayList<>();
            for (int c = 0; c < cols; c++) {
                row.add(v[r * cols + c]);
            }
            out.add(row);
        }
        return out;
    }
}
