package archway.spaces.darts;

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
 * The DARTS network (specs/spaces.md): stem Conv3x3(in -> 3C) + BN; a stack of cells, the ones at 1/3
 * and 2/3 of the depth being reduction cells that double C and halve the resolution; global average
 * pool; linear. A cell preprocesses the outputs of the previous two cells (ReLU-Conv1x1-BN, or
 * FactorizedReduce when the one before the previous is at twice the resolution), computes intermediate
 * nodes as sums of edges from all earlier nodes and outputs the channel concat of its nodes.
 *
 * <p>The supernet mixes the candidates on each of the 14 edges with the MIX blocks {@value #MIX_NORMAL}
 * and {@value #MIX_REDUCE} ([14, K], shared by all normal resp. reduction cells), BN non-affine in the
 * cells. The discrete network follows a {@link Genotype}, BN affine.
 */
public final class DartsNetwork {
    public static final String MIX_NORMAL = "alpha_normal", MIX_REDUCE = "alpha_reduce";
    /** PC-DARTS edge-normalisation blocks: one weight per edge of the normal resp. reduction cells. */
    public static final String EDGE_NORM_NORMAL = "edge_norm_normal", EDGE_NORM_REDUCE = "edge_norm_reduce";
    /** Intermediate nodes per cell in the search space. */
    public static final int STEPS = 4;
    /** Edges of a search cell: node i (0-based) has i + 2 inputs. */
    public static final int EDGES = 14;
    private static final int STEM_MULTIPLIER = 3;

    private DartsNetwork() {
    }

    /** Row of the MIX block for the edge input -> intermediate node {@code node} (0-based). */
    public static int edge(int node, int input) {
        return node * (node + 3) / 2 + input;
    }

    /** True for the reduction cells: positions cells/3 and 2*cells/3 (cells 2 and 5 of 8). */
    public static boolean isReduction(int cell, int cells) {
        return cell == cells / 3 || cell == 2 * cells / 3;
    }

    /**
     * The search supernet.
     *
     * @param withNone       whether "none" is a candidate (K = 8) or dropped (K = 7)
     * @param partialChannel PC-DARTS edges ({@link PartialChannelEdge}, K = 4; C must be a multiple of 4)
     */
    public static NetworkBuilder supernet(int channels, int cells, int classes, boolean withNone, boolean partialChannel) {
        return supernet(channels, cells, classes, withNone, SupernetVariant.partialChannel(partialChannel));
    }

    /**
     * The search supernet wired as {@code variant} says: PER_EDGE partial channels, edge normalisation
     * ({@value #EDGE_NORM_NORMAL}, {@value #EDGE_NORM_REDUCE}), DARTS-'s auxiliary skip (identity on normal
     * edges, its own FactorizedReduce with its own weights on reduction edges). PER_CELL is NB201's only.
     */
    public static NetworkBuilder supernet(int channels, int cells, int classes, boolean withNone, SupernetVariant variant) {
        if (variant.partialChannels() == SupernetVariant.PartialChannels.PER_CELL) {
            throw new IllegalArgumentException("per-cell partial channels are a variant of the NB201 cell only");
        }
        List<String> ops = DartsOps.ops(withNone);
        return (g, x) -> {
            ParamStore p = g.params();
            // Register both blocks first so the flat mix buffer holds normal then reduce.
            ParamStore.Entry normal = p.mix(MIX_NORMAL, new int[] {EDGES, ops.size()});
            ParamStore.Entry reduce = p.mix(MIX_REDUCE, new int[] {EDGES, ops.size()});
            ParamStore.Entry normNormal = variant.edgeNormalisation() ? p.mix(EDGE_NORM_NORMAL, new int[] {EDGES}) : null;
            ParamStore.Entry normReduce = variant.edgeNormalisation() ? p.mix(EDGE_NORM_REDUCE, new int[] {EDGES}) : null;
            ParamStore.Entry aux = variant.auxiliarySkip() ? p.mix(SupernetVariant.AUX_SKIP, new int[] {1}) : null;
            return body(g, x, channels, cells, classes, (name, s0, s1, c, reduction, reductionPrev) ->
                    supernetCell(g, name, s0, s1, c, reduction, reductionPrev, reduction ? reduce : normal, ops,
                            variant.partialChannels() == SupernetVariant.PartialChannels.PER_EDGE,
                            reduction ? normReduce : normNormal, aux));
        };
    }

    /** The discrete network of a genotype (affine BN; pools without BN, as in the DARTS evaluation network). */
    public static NetworkBuilder discrete(Genotype genotype, int channels, int cells, int classes) {
        return (g, x) -> body(g, x, channels, cells, classes, (name, s0, s1, c, reduction, reductionPrev) ->
                        discreteCell(g, name, s0, s1, c, reduction, reductionPrev,
                                reduction ? genotype.reduce() : genotype.normal(),
                                reduction ? genotype.reduceConcat() : genotype.normalConcat()));
    }

    private interface CellBuilder {
        Value cell(String name, Value s0, Value s1, int c, boolean reduction, boolean reductionPrev);
    }

    private static Value body(Graph g, Value x, int c, int cells, int classes, CellBuilder cell) {
        if (c < 1 || cells < 1) {
            throw new IllegalArgumentException("DARTS network: channels and cells must be >= 1");
        }
        Value stem = Layers.conv(g, "stem.conv", x, STEM_MULTIPLIER * c, 3, 1, 1, 1, 1);
        stem = Layers.bn(g, "stem.bn", stem, true);
        Value s0 = stem, s1 = stem;
        int cur = c;
        boolean reductionPrev = false;
        for (int i = 0; i < cells; i++) {
            boolean reduction = isReduction(i, cells);
            if (reduction) {
                cur *= 2;
            }
            Value out = cell.cell("cell" + i, s0, s1, cur, reduction, reductionPrev);
            s0 = s1;
            s1 = out;
            reductionPrev = reduction;
        }
        Value h = Layers.globalAvgPool(g, "gap", s1);
        return Layers.linear(g, "classifier", h, classes);
    }

    private static Value[] preprocess(Graph g, String name, Value s0, Value s1, int c, boolean reductionPrev, boolean affine) {
        Value p0 = reductionPrev ? Layers.factorizedReduce(g, name + ".pre0", s0, c, affine)
                : Layers.reluConvBn(g, name + ".pre0", s0, c, 1, 1, 1, affine);
        Value p1 = Layers.reluConvBn(g, name + ".pre1", s1, c, 1, 1, 1, affine);
        return new Value[] {p0, p1};
    }

    private static Value supernetCell(Graph g, String name, Value s0, Value s1, int c, boolean reduction,
                                      boolean reductionPrev, ParamStore.Entry alpha, List<String> ops,
                                      boolean partialChannel, ParamStore.Entry edgeNorm, ParamStore.Entry aux) {
        Value mix = g.param(alpha);
        Value norm = edgeNorm == null ? null : g.param(edgeNorm);
        Value auxWeight = aux == null ? null : g.param(aux);
        List<Value> states = new ArrayList<>(List.of(preprocess(g, name, s0, s1, c, reductionPrev, false)));
        for (int i = 0; i < STEPS; i++) {
            Value[] incoming = new Value[i + 2];
            List<Value> auxTerms = new ArrayList<>();
            for (int j = 0; j < i + 2; j++) {
                int e = edge(i, j), stride = reduction && j < 2 ? 2 : 1;
                String en = name + ".e" + (i + 2) + "_" + j;
                long base = alpha.offset() + (long) e * ops.size();
                Value src = states.get(j);
                incoming[j] = partialChannel
                        ? PartialChannelEdge.apply(g, en, src, PartialChannelEdge.K,
                                part -> mixedEdge(g, en, part, stride, mix, e, base, ops))
                        : mixedEdge(g, en, src, stride, mix, e, base, ops);
                if (auxWeight != null) {
                    auxTerms.add(auxiliarySkip(g, en + ".aux", src, c, stride, auxWeight, aux.offset()));
                }
            }
            String nn = name + ".node" + (i + 2);
            Value node = norm == null ? SumOp.apply(g, nn, incoming)
                    : MixedOp.weightedSum(g, nn, incoming, norm, edge(i, 0));
            if (!auxTerms.isEmpty()) {
                auxTerms.add(0, node);
                node = SumOp.apply(g, nn + ".aux", auxTerms.toArray(new Value[0]));
            }
            states.add(node);
        }
        return Layers.concat(g, name + ".out", states.subList(2, states.size()).toArray(new Value[0]));
    }

    /**
     * DARTS-'s auxiliary path of one edge, scaled by the weight in {@code aux}: the input itself, or on a
     * reduction edge its own FactorizedReduce (own weights, not the skip candidate's; skipped at weight 0).
     */
    private static Value auxiliarySkip(Graph g, String name, Value src, int c, int stride, Value aux, long auxOffset) {
        if (stride == 1) {
            return MixedOp.applyAt(g, name, new Value[] {src}, new boolean[] {false}, aux, 0);
        }
        g.guard(auxOffset);
        Value reduced = Layers.factorizedReduce(g, name + ".reduce", src, c, false);
        g.clearGuard();
        return MixedOp.applyAt(g, name, new Value[] {reduced}, new boolean[] {true}, aux, 0);
    }

    /** Every candidate on {@code src}, each guarded by its own mixing weight, mixed by row {@code e}. */
    private static Value mixedEdge(Graph g, String en, Value src, int stride, Value mix, int e, long base,
                                   List<String> ops) {
        Value[] cands = new Value[ops.size()];
        boolean[] owned = new boolean[ops.size()];
        for (int k = 0; k < cands.length; k++) {
            String op = ops.get(k);
            if (op.equals(DartsOps.NONE)) {
                continue;
            }
            if (op.equals(DartsOps.SKIP) && stride == 1) {
                // Identity: the shared input itself; MixedOp routes its gradient without clobbering others.
                cands[k] = src;
                continue;
            }
            g.guard(base + k);
            cands[k] = DartsOps.apply(g, en + "." + op, op, src, stride, false, true);
            g.clearGuard();
            owned[k] = true;
        }
        return MixedOp.apply(g, en, cands, owned, mix, e);
    }

    private static Value discreteCell(Graph g, String name, Value s0, Value s1, int c, boolean reduction,
                                      boolean reductionPrev, List<Genotype.Gene> genes, List<Integer> concat) {
        List<Value> states = new ArrayList<>(List.of(preprocess(g, name, s0, s1, c, reductionPrev, true)));
        Value p1 = states.get(1);
        int oh = reduction ? (p1.h() + 1) / 2 : p1.h(), ow = reduction ? (p1.w() + 1) / 2 : p1.w();
        for (int i = 0; i < genes.size() / 2; i++) {
            List<Value> incoming = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Genotype.Gene gene = genes.get(2 * i + t);
                if (gene.op().equals(DartsOps.NONE)) {
                    continue;
                }
                int stride = reduction && gene.input() < 2 ? 2 : 1;
                String en = name + ".n" + (i + 2) + "_" + t + "." + gene.op();
                incoming.add(DartsOps.apply(g, en, gene.op(), states.get(gene.input()), stride, true, false));
            }
            states.add(incoming.isEmpty() ? ZerosOp.apply(g, name + ".zero" + (i + 2), p1.n(), c, oh, ow)
                    : SumOp.apply(g, name + ".node" + (i + 2), incoming.toArray(new Value[0])));
        }
        List<Value> out = new ArrayList<>();
        for (int k : concat) {
            out.add(states.get(k));
        }
        if (reduction && concat.stream().anyMatch(k -> k < 2)) {
            throw new IllegalArgumentException("genotype: a reduction cell cannot concatenate its inputs (nodes 0, 1)");
        }
        return Layers.concat(g, name + ".out", out.toArray(new Value[0]));
    }
}
