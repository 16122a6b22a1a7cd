package archway.spaces;

/**
 * How a differentiable supernet is wired around its candidate ops, as the gradient-family bases need it
 * (docs/specs/darts-family.md).
 *
 * @param partialChannels   PC-DARTS partial channels: none, per edge, or once per cell (NB201 only)
 * @param edgeNormalisation PC-DARTS edge normalisation: each intermediate node weights its incoming edges by
 *                          weights the search writes into the edge-normalisation MIX blocks (softmax of beta)
 * @param auxiliarySkip     DARTS-'s auxiliary skip path on every edge, scaled by a weight the search writes into
 *                          the {@value #AUX_SKIP} MIX block (NB201: from the cell input; DARTS space: the edge
 *                          input, through its own FactorizedReduce on reduction edges)
 */
public record SupernetVariant(PartialChannels partialChannels, boolean edgeNormalisation, boolean auxiliarySkip) {
    /** Name of the one-weight MIX block holding DARTS-'s auxiliary skip weight. */
    public static final String AUX_SKIP = "aux_skip";
    /** The plain DARTS supernet. */
    public static final SupernetVariant PLAIN = new SupernetVariant(PartialChannels.NONE, false, false);

    /** Where PC-DARTS samples its C/K channels. */
    public enum PartialChannels {
        /** Every edge sees all channels. */
        NONE("none"),
        /** Each edge mixes its first C/K channels, passes the rest and shuffles (PC-DARTS; the DARTS-space default). */
        PER_EDGE("edge"),
        /** The cell takes C/K channels once, runs on them, concatenates the rest and shuffles once (AsquaredM's NB201 variant). */
        PER_CELL("cell");

        private final String label;

        PartialChannels(String label) {
            this.label = label;
        }

        public String label() { return label; }

        /** "edge" or "cell". */
        public static PartialChannels parse(String s) {
            for (PartialChannels p : values()) {
                if (p != NONE && p.label.equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("partial channels are taken per 'edge' or per 'cell', not '" + s + "'");
        }
    }

    public SupernetVariant {
        if (partialChannels == null) {
            throw new IllegalArgumentException("partial-channel mode is required");
        }
    }

    /** The plain supernet with partial-channel edges ({@code true}) or without. */
    public static SupernetVariant partialChannel(boolean perEdge) {
        return perEdge ? new SupernetVariant(PartialChannels.PER_EDGE, false, false) : PLAIN;
    }
}
