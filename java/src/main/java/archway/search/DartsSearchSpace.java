package archway.search;

import archway.nn.NetworkBuilder;
import archway.spaces.SupernetVariant;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.darts.DartsOps;
import archway.spaces.darts.Discretisation;
import java.util.List;
import java.util.Map;

/**
 * The DARTS cell space: two MIX blocks (normal, reduce) of 14 edges each, 8 candidate ops (7 when none
 * is dropped). The genotype keeps two inputs per intermediate node ({@link Discretisation}).
 */
public final class DartsSearchSpace implements SearchSpace {
    private final boolean withNone;
    private final SupernetVariant variant;

    /**
     * @param withNone keep "none" among the candidates (the spec's default)
     * @param variant  how the supernet is wired (partial channels per edge, edge normalisation, auxiliary skip)
     */
    public DartsSearchSpace(boolean withNone, SupernetVariant variant) {
        this.withNone = withNone;
        this.variant = variant;
    }

    /**
     * @param withNone       keep "none" among the candidates (the spec's default)
     * @param partialChannel PC-DARTS partial-channel edges
     */
    public DartsSearchSpace(boolean withNone, boolean partialChannel) {
        this(withNone, SupernetVariant.partialChannel(partialChannel));
    }

    /** The default space: none kept, full-channel edges. */
    public DartsSearchSpace() {
        this(true, false);
    }

    @Override
    public String name() { return "darts"; }

    @Override
    public List<String> mixBlocks() { return List.of(DartsNetwork.MIX_NORMAL, DartsNetwork.MIX_REDUCE); }

    @Override
    public int rows() { return 2 * DartsNetwork.EDGES; }

    @Override
    public int opCount() { return opNames().size(); }

    @Override
    public List<String> opNames() { return DartsOps.ops(withNone); }

    @Override
    public List<String> edgeNormBlocks() { return List.of(DartsNetwork.EDGE_NORM_NORMAL, DartsNetwork.EDGE_NORM_REDUCE); }

    /** Node i (0..3) of a cell has i + 2 inputs; normal cell, then reduction cell. */
    @Override
    public int[] nodeInputs() { return new int[] {2, 3, 4, 5, 2, 3, 4, 5}; }

    @Override
    public NetworkBuilder supernet(int channels, int cells, int classes) {
        return DartsNetwork.supernet(channels, cells, classes, withNone, variant);
    }

    @Override
    public String genotype(double[] p) {
        return Discretisation.genotype(p, opNames()).toString();
    }

    /** PC-DARTS: every row of p scaled by its edge's weight, then the usual two strongest inputs per node. */
    @Override
    public String genotype(double[] p, double[] edgeWeights) {
        if (edgeWeights == null) {
            return genotype(p);
        }
        int k = opCount();
        if (edgeWeights.length != rows() || p.length != rows() * k) {
            throw new IllegalArgumentException("DARTS edge weights: expected " + rows() + " weights for " + rows() * k
                    + " mixing weights, got " + edgeWeights.length + " and " + p.length);
        }
        double[] scaled = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            scaled[i] = p[i] * edgeWeights[i / k];
        }
        return genotype(scaled);
    }

    @Override
    public Map<String, Object> describe(String genotype) {
        return Map.of();
    }
}
