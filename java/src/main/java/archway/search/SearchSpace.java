package archway.search;

import archway.nn.NetworkBuilder;
import java.util.List;
import java.util.Map;

/**
 * A differentiable search space: its supernet, the shape of its architecture parameters and how a
 * genotype is derived from the mixing weights.
 */
public interface SearchSpace {
    /** "nb201" or "darts". */
    String name();

    /** Names of the MIX blocks in the parameter store, in flat-buffer order. */
    List<String> mixBlocks();

    /** Rows of all blocks together (edges); each row has {@link #opCount()} entries. */
    int rows();

    int opCount();

    List<String> opNames();

    /** Names of the PC-DARTS edge-normalisation MIX blocks (one weight per row), in the order of {@link #mixBlocks()}. */
    List<String> edgeNormBlocks();

    /** Incoming edges of each intermediate node, over all blocks in row order (edge normalisation's softmax groups). */
    int[] nodeInputs();

    NetworkBuilder supernet(int channels, int cells, int classes);

    /** The discrete architecture for mixing weights p (rows x ops, flattened). */
    String genotype(double[] p);

    /**
     * The discrete architecture for mixing weights p and PC-DARTS edge weights (one per row; null without edge
     * normalisation): edges are ranked by p(op) * weight(edge). The default ignores them, right for spaces that
     * keep every edge.
     */
    default String genotype(double[] p, double[] edgeWeights) {
        return genotype(p);
    }

    /** Extra result fields for a genotype (e.g. NAS-Bench-201 table accuracies); may be empty. */
    Map<String, Object> describe(String genotype);
}
