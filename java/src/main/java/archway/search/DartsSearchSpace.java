package archway.search;

import archway.nn.NetworkBuilder;
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
    private final boolean withNone, partialChannel;

    /**
     * @param withNone       keep "none" among the candidates (the spec's default)
     * @param partialChannel PC-DARTS partial-channel edges
     */
    public DartsSearchSpace(boolean withNone, boolean partialChannel) {
        this.withNone = withNone;
        this.partialChannel = partialChannel;
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
    public int skipIndex() { return opNames().indexOf(DartsOps.SKIP); }

    @Override
    public NetworkBuilder supernet(int channels, int cells, int classes) {
        return DartsNetwork.supernet(channels, cells, classes, withNone, partialChannel);
    }

    @Override
    public String genotype(double[] p) {
        return Discretisation.genotype(p, opNames()).toString();
    }

    @Override
    public Map<String, Object> describe(String genotype) {
        return Map.of();
    }
}
