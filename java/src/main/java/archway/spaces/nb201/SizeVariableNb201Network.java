package archway.spaces.nb201;

import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ops.Conv2dOp;
import archway.graph.ops.MixedOp;
import archway.graph.ops.SumOp;
import archway.graph.ops.ZerosOp;
import archway.nn.Layers;
import archway.nn.NetworkBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The size-variable NB201 network of ZO-DARTS++ (specs/spaces.md): NB201's skeleton with conv_kv (one 7x7
 * weight per edge and cell whose centre 5x5 and 3x3 crops are the smaller kernels) in place of
 * nor_conv_3x3, per-stage op choices, and per-stage depth: stage output = sum_n gamma[s, n] * (feature
 * after n cells).
 *
 * <p>In the supernet each edge mixes 7 effective candidates — none, skip, conv 1x1, conv_kv at 7, 5 and 3,
 * avg pool — with weights {@value #EDGE_MIX}[stage * 6 + edge] = (p0, p1, p2, p3 b7, p3 b5, p3 b3, p4), p the
 * op probabilities and b the kernel probabilities of that edge; the search computes these products, so one
 * guard per candidate skips a crop and its convolution whenever either factor is exactly zero. Depth
 * weights are the [3, N] block {@value #DEPTH_MIX}.
 */
public final class SizeVariableNb201Network {
    public static final String EDGE_MIX = "sv.edges";
    public static final String DEPTH_MIX = "sv.depth";
    /** Op names in index order (conv_kv replaces nor_conv_3x3 at index 3). */
    public static final List<String> OPS = List.of("none", "skip_connect", "nor_conv_1x1", "conv_kv", "avg_pool_3x3");
    public static final int CONV_KV = 3;
    /** Kernel sizes of conv_kv in beta's column order. */
    public static final int[] KERNELS = {7, 5, 3};
    /** Effective candidates per edge in the supernet. */
    public static final int EFFECTIVE = 7;

    private SizeVariableNb201Network() {
    }

    /** The search supernet (non-affine BN in cells, as in the NB201 search models). */
    public static NetworkBuilder supernet(int channels, int cells, int classes) {
        return (g, x) -> {
            ParamStore.Entry edges = g.params().mix(EDGE_MIX, new int[] {3 * Nb201Network.EDGES, EFFECTIVE});
            ParamStore.Entry depth = g.params().mix(DEPTH_MIX, new int[] {3, cells});
            return body(g, x, channels, classes, (gg, name, in, s) -> supernetCell(gg, name, in, s, edges),
                    s -> cells, (gg, s, feats) -> feats.size() == 1 ? feats.get(0)
                            : MixedOp.apply(gg, "stage" + s + ".depth", feats.toArray(new Value[0]),
                                    new boolean[feats.size()], gg.param(depth), s));
        };
    }

    /** The derived network: depth[s] cells per stage, convolutions ReLU-Conv(k)-bias-BN(non-affine). */
    public static NetworkBuilder discrete(SizeVariableArch arch, int channels, int classes) {
        return (g, x) -> body(g, x, channels, classes, (gg, name, in, s) -> discreteCell(gg, name, in, arch, s),
                s -> arch.depth()[s], (gg, s, feats) -> feats.get(feats.size() - 1));
    }

    /** Parameters outside the cells: stem, reduction blocks, final BN, classifier. */
    public static long fixedParams(int c, int inChannels, int classes) {
        long p = 9L * inChannels * c + 2L * c;
        for (int s = 1; s < 3; s++) {
            long cin = (long) c << (s - 1), cout = (long) c << s;
            p += 9 * cin * cout + 2 * cout + 9 * cout * cout + 2 * cout + cin * cout;
        }
        return p + 2L * 4 * c + 4L * c * classes + classes;
    }

    private interface CellBuilder {
        Value cell(Graph g, String name, Value in, int stage);
    }

    private interface Depths {
        int of(int stage);
    }

    private interface StageOutput {
        Value of(Graph g, int stage, List<Value> features);
    }

    private static Value body(Graph g, Value x, int c, int classes, CellBuilder cell, Depths depths, StageOutput out) {
        Value h = Layers.conv(g, "stem.conv", x, c, 3, 1, 1, 1, 1);
        h = Layers.bn(g, "stem.bn", h, true);
        for (int s = 0; s < 3; s++) {
            if (s > 0) {
                h = Nb201Network.resBlock(g, "reduce" + s, h, c << s);
            }
            List<Value> feats = new ArrayList<>();
            for (int i = 0; i < depths.of(s); i++) {
                h = cell.cell(g, "stage" + s + ".cell" + i, h, s);
                feats.add(h);
            }
            h = out.of(g, s, feats);
        }
        h = Layers.bn(g, "last.bn", h, true);
        h = Layers.relu(g, "last.relu", h);
        h = Layers.globalAvgPool(g, "gap", h);
        return Layers.linear(g, "classifier", h, classes);
    }

    private static Value supernetCell(Graph g, String name, Value in, int stage, ParamStore.Entry edges) {
        Value mix = g.param(edges);
        Value[] nodes = new Value[4];
        nodes[0] = in;
        for (int i = 1; i < 4; i++) {
            List<Value> incoming = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                int row = stage * Nb201Network.EDGES + Nb201Network.edge(i, j);
                String en = name + ".e" + i + "_" + j;
                long base = edges.offset() + (long) row * EFFECTIVE;
                Value[] cands = new Value[EFFECTIVE];
                boolean[] owned = new boolean[EFFECTIVE];
                cands[1] = nodes[j];
                g.guard(base + 2);
                cands[2] = Layers.reluConvBn(g, en + ".conv1x1", nodes[j], in.c(), 1, 1, 1, false);
                g.clearGuard();
                // One 7x7 weight per edge; registered outside any guard because all three kernels share it.
                Value w7 = g.param(g.params().weight(en + ".convkv.weight", new int[] {in.c(), in.c(), 7, 7},
                        new Init.Uniform(in.c() * 49)));
                for (int k = 0; k < KERNELS.length; k++) {
                    int ks = KERNELS[k];
                    g.guard(base + 3 + k);
                    Value w = ks == 7 ? w7 : SizeVariableCropOp.apply(g, en + ".convkv.crop" + ks, w7, ks);
                    Value r = Layers.relu(g, en + ".convkv" + ks + ".relu", nodes[j]);
                    Value cv = Conv2dOp.apply(g, en + ".convkv" + ks + ".conv", r, w, 1, ks / 2, 1, 1);
                    cands[3 + k] = Layers.bn(g, en + ".convkv" + ks + ".bn", cv, false);
                }
                g.guard(base + 6);
                cands[6] = Layers.avgPool(g, en + ".avgpool", nodes[j], 3, 1, 1, false);
                g.clearGuard();
                for (int k = 2; k < EFFECTIVE; k++) {
                    owned[k] = true;
                }
                incoming.add(MixedOp.apply(g, en, cands, owned, mix, row));
            }
            nodes[i] = SumOp.apply(g, name + ".node" + i, incoming.toArray(new Value[0]));
        }
        return nodes[3];
    }

    private static Value discreteCell(Graph g, String name, Value in, SizeVariableArch arch, int stage) {
        Value[] nodes = new Value[4];
        nodes[0] = in;
        for (int i = 1; i < 4; i++) {
            List<Value> incoming = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                int e = Nb201Network.edge(i, j);
                int op = arch.ops()[stage][e];
                if (op == Nb201Network.NONE) {
                    continue;
                }
                String en = name + ".e" + i + "_" + j;
                // An all-none source node is an explicit zero tensor, so every chosen op exists and counts.
                Value src = nodes[j] != null ? nodes[j] : ZerosOp.apply(g, en + ".zero", in.shape());
                incoming.add(switch (op) {
                    case Nb201Network.SKIP -> src;
                    case Nb201Network.CONV1 -> conv(g, en + ".conv1x1", src, 1);
                    case CONV_KV -> conv(g, en + ".conv" + arch.kernels()[stage][e], src, arch.kernels()[stage][e]);
                    case Nb201Network.AVG -> Layers.avgPool(g, en + ".avgpool", src, 3, 1, 1, false);
                    default -> throw new IllegalArgumentException("op index " + op + " out of range 0..4");
                });
            }
            nodes[i] = incoming.isEmpty() ? null : SumOp.apply(g, name + ".node" + i, incoming.toArray(new Value[0]));
        }
        return nodes[3] != null ? nodes[3] : ZerosOp.apply(g, name + ".zero", in.shape());
    }

    private static Value conv(Graph g, String name, Value x, int k) {
        Value r = Layers.relu(g, name + ".relu", x);
        Value c = Layers.conv(g, name + ".conv", r, x.c(), k, 1, k / 2, 1, 1);
        c = SizeVariableBiasOp.apply(g, name + ".bias", c);
        return Layers.bn(g, name + ".bn", c, false);
    }
}
