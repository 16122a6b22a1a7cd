package archway.spaces.nb201;

import archway.graph.Graph;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ops.MixedOp;
import archway.graph.ops.SumOp;
import archway.graph.ops.ZerosOp;
import archway.nn.Layers;
import archway.nn.NetworkBuilder;
import archway.nn.PartialChannelEdge;
import archway.spaces.SupernetVariant;
import java.util.ArrayList;
import java.util.List;

/**
 * The NAS-Bench-201 network (specs/spaces.md): 3x3 stem + BN; three stages of N cells at C, 2C, 4C
 * joined by residual reduction blocks; BN-ReLU, global average pool, linear. The supernet mixes the
 * five candidate ops on each of the 6 edges with one shared [6, 5] block of mixing weights named
 * {@value #MIX_NAME}; the discrete network has one op per edge.
 */
public final class Nb201Network {
    /** Name of the shared mixing-weight block in the parameter store. */
    public static final String MIX_NAME = "alpha";
    /** Name of the PC-DARTS edge-normalisation block: one weight per edge (node i weights its edges j < i). */
    public static final String EDGE_NORM_NAME = "edge_norm";
    /** Op names in their fixed index order. */
    public static final List<String> OPS = List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
    public static final int EDGES = 6;
    public static final int NONE = 0, SKIP = 1, CONV1 = 2, CONV3 = 3, AVG = 4;

    private Nb201Network() {
    }

    /** Edge index of i <- j (0 <= j < i <= 3) in the order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2. */
    public static int edge(int i, int j) {
        return i * (i - 1) / 2 + j;
    }

    /** The search supernet (non-affine BN in cells, as in the NAS-Bench-201 search models). */
    public static NetworkBuilder supernet(int channels, int cells, int classes) {
        return supernet(channels, cells, classes, false);
    }

    /**
     * The search supernet; with {@code partialChannel} every edge is a PC-DARTS partial-channel edge
     * ({@link PartialChannelEdge}, K = 4: C must be a multiple of 4).
     */
    public static NetworkBuilder supernet(int channels, int cells, int classes, boolean partialChannel) {
        return supernet(channels, cells, classes, SupernetVariant.partialChannel(partialChannel));
    }

    /** The search supernet wired as {@code variant} says (partial channels, edge normalisation, auxiliary skip). */
    public static NetworkBuilder supernet(int channels, int cells, int classes, SupernetVariant variant) {
        return (g, x) -> body(g, x, channels, cells, classes, (gg, name, in) -> searchCell(gg, name, in, variant));
    }

    /** A discrete network for the 6 op indices {@code ops} (affine BN, as in the benchmark's training). */
    public static NetworkBuilder discrete(int[] ops, int channels, int cells, int classes) {
        if (ops.length != EDGES) {
            throw new IllegalArgumentException("an NB201 cell has 6 edges, got " + ops.length + " ops");
        }
        int[] copy = ops.clone();
        return (g, x) -> body(g, x, channels, cells, classes, (gg, name, in) -> discreteCell(gg, name, in, copy));
    }

    private interface CellBuilder {
        Value cell(Graph g, String name, Value in);
    }

    private static Value body(Graph g, Value x, int c, int n, int classes, CellBuilder cell) {
        Value h = Layers.conv(g, "stem.conv", x, c, 3, 1, 1, 1, 1);
        h = Layers.bn(g, "stem.bn", h, true);
        int[] widths = {c, 2 * c, 4 * c};
        for (int s = 0; s < 3; s++) {
            if (s > 0) {
                h = resBlock(g, "reduce" + s, h, widths[s]);
            }
            for (int i = 0; i < n; i++) {
                h = cell.cell(g, "stage" + s + ".cell" + i, h);
            }
        }
        h = Layers.bn(g, "last.bn", h, true);
        h = Layers.relu(g, "last.relu", h);
        h = Layers.globalAvgPool(g, "gap", h);
        return Layers.linear(g, "classifier", h, classes);
    }

    /** ReLU-Conv3x3 s2-BN, ReLU-Conv3x3-BN, plus shortcut AvgPool2 + Conv1x1. */
    static Value resBlock(Graph g, String name, Value x, int cout) {
        Value a = Layers.reluConvBn(g, name + ".a", x, cout, 3, 2, 1, true);
        Value b = Layers.reluConvBn(g, name + ".b", a, cout, 3, 1, 1, true);
        Value p = Layers.avgPool(g, name + ".down.pool", x, 2, 2, 0, true);
        Value s = Layers.conv(g, name + ".down.conv", p, cout, 1, 1, 0, 1, 1);
        return SumOp.apply(g, name + ".add", b, s);
    }

    /**
     * One search cell on {@code in}. PER_CELL partial channels: the cell runs on the first C/K channels of its
     * input and the rest is concatenated and shuffled once at its output (AsquaredM's NB201 variant).
     */
    public static Value searchCell(Graph g, String name, Value in, SupernetVariant variant) {
        if (variant.partialChannels() == SupernetVariant.PartialChannels.PER_CELL) {
            return PartialChannelEdge.apply(g, name + ".pc", in, PartialChannelEdge.K,
                    part -> searchCellBody(g, name, part, variant));
        }
        return searchCellBody(g, name, in, variant);
    }

    private static Value searchCellBody(Graph g, String name, Value in, SupernetVariant variant) {
        ParamStore.Entry alpha = g.params().mix(MIX_NAME, new int[] {EDGES, OPS.size()});
        Value mix = g.param(alpha);
        Value edgeNorm = variant.edgeNormalisation() ? g.param(g.params().mix(EDGE_NORM_NAME, new int[] {EDGES})) : null;
        Value aux = variant.auxiliarySkip() ? g.param(g.params().mix(SupernetVariant.AUX_SKIP, new int[] {1})) : null;
        boolean perEdge = variant.partialChannels() == SupernetVariant.PartialChannels.PER_EDGE;
        Value[] nodes = new Value[4];
        nodes[0] = in;
        for (int i = 1; i < 4; i++) {
            Value[] incoming = new Value[i];
            for (int j = 0; j < i; j++) {
                int e = edge(i, j);
                String en = name + ".e" + i + "_" + j;
                long base = alpha.offset() + (long) e * OPS.size();
                incoming[j] = perEdge
                        ? PartialChannelEdge.apply(g, en, nodes[j], PartialChannelEdge.K, part -> mixedEdge(g, en, part, mix, e, base))
                        : mixedEdge(g, en, nodes[j], mix, e, base);
            }
            String nn = name + ".node" + i;
            Value node = edgeNorm == null ? SumOp.apply(g, nn, incoming)
                    : MixedOp.weightedSum(g, nn, incoming, edgeNorm, edge(i, 0));
            if (aux != null) {
                // DARTS- (reference code): every edge j -> i adds beta * (cell input), not beta * (node j).
                Value[] terms = new Value[i + 1];
                terms[0] = node;
                for (int j = 0; j < i; j++) {
                    terms[j + 1] = MixedOp.applyAt(g, name + ".e" + i + "_" + j + ".aux", new Value[] {in},
                            new boolean[] {false}, aux, 0);
                }
                node = SumOp.apply(g, nn + ".aux", terms);
            }
            nodes[i] = node;
        }
        return nodes[3];
    }

    /** The five candidates on {@code src}, each guarded by its own mixing weight, mixed by row {@code e}. */
    private static Value mixedEdge(Graph g, String en, Value src, Value mix, int e, long base) {
        Value[] cands = new Value[OPS.size()];
        boolean[] owned = new boolean[OPS.size()];
        cands[SKIP] = src;
        g.guard(base + CONV1);
        cands[CONV1] = Layers.reluConvBn(g, en + ".conv1x1", src, src.c(), 1, 1, 1, false);
        g.guard(base + CONV3);
        cands[CONV3] = Layers.reluConvBn(g, en + ".conv3x3", src, src.c(), 3, 1, 1, false);
        g.guard(base + AVG);
        cands[AVG] = Layers.avgPool(g, en + ".avgpool", src, 3, 1, 1, false);
        g.clearGuard();
        owned[CONV1] = owned[CONV3] = owned[AVG] = true;
        return MixedOp.apply(g, en, cands, owned, mix, e);
    }

    private static Value discreteCell(Graph g, String name, Value in, int[] ops) {
        Value[] nodes = new Value[4];
        nodes[0] = in;
        for (int i = 1; i < 4; i++) {
            List<Value> incoming = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                Value src = nodes[j];
                int op = ops[edge(i, j)];
                if (op == NONE || src == null) {
                    continue;
                }
                String en = name + ".e" + i + "_" + j;
                incoming.add(switch (op) {
                    case SKIP -> src;
                    case CONV1 -> Layers.reluConvBn(g, en + ".conv1x1", src, in.c(), 1, 1, 1, true);
                    case CONV3 -> Layers.reluConvBn(g, en + ".conv3x3", src, in.c(), 3, 1, 1, true);
                    case AVG -> Layers.avgPool(g, en + ".avgpool", src, 3, 1, 1, false);
                    default -> throw new IllegalArgumentException("NB201 op index " + op + " out of range 0..4");
                });
            }
            // A node with only "none" inputs is zero; it contributes nothing downstream.
            nodes[i] = incoming.isEmpty() ? null : SumOp.apply(g, name + ".node" + i, incoming.toArray(new Value[0]));
        }
        return nodes[3] != null ? nodes[3] : ZerosOp.apply(g, name + ".zero", in.shape());
    }
}
