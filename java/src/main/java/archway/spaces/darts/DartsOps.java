package archway.spaces.darts;

import archway.graph.Graph;
import archway.graph.Value;
import archway.nn.Layers;
import java.util.List;

/** The DARTS candidate operations (specs/spaces.md) and how each is traced. */
public final class DartsOps {
    /** All op names in their fixed index order (with none). */
    public static final List<String> ALL = List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
            "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5");
    /** The op list when none is dropped from the search. */
    public static final List<String> WITHOUT_NONE = ALL.subList(1, ALL.size());
    public static final String NONE = "none", SKIP = "skip_connect";

    private DartsOps() {
    }

    /** The candidate list of a search: all eight ops, or the seven without none. */
    public static List<String> ops(boolean withNone) {
        return withNone ? ALL : WITHOUT_NONE;
    }

    /**
     * Traces op {@code op} on x (keeping the channel count). {@code stride} 2 halves the resolution
     * (skip_connect becomes FactorizedReduce). {@code poolBn} follows pools with a non-affine BN, as
     * in the search network. Returns x itself for an identity skip; never called for none.
     */
    public static Value apply(Graph g, String name, String op, Value x, int stride, boolean affine, boolean poolBn) {
        int c = x.c();
        return switch (op) {
            case "max_pool_3x3" -> {
                Value p = Layers.maxPool(g, name, x, 3, stride, 1);
                yield poolBn ? Layers.bn(g, name + ".bn", p, false) : p;
            }
            case "avg_pool_3x3" -> {
                Value p = Layers.avgPool(g, name, x, 3, stride, 1, false);
                yield poolBn ? Layers.bn(g, name + ".bn", p, false) : p;
            }
            case SKIP -> stride == 1 ? x : Layers.factorizedReduce(g, name, x, c, affine);
            case "sep_conv_3x3" -> Layers.sepConv(g, name, x, c, 3, stride, affine);
            case "sep_conv_5x5" -> Layers.sepConv(g, name, x, c, 5, stride, affine);
            case "dil_conv_3x3" -> Layers.dilConv(g, name, x, c, 3, stride, 2, affine);
            case "dil_conv_5x5" -> Layers.dilConv(g, name, x, c, 5, stride, 2, affine);
            default -> throw new IllegalArgumentException("DARTS op '" + op + "' cannot be traced (known: "
                    + String.join(", ", ALL.subList(1, ALL.size())) + ")");
        };
    }
}
