package archway.report;

import archway.nb201.Nb201Arch;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.darts.DartsOps;
import archway.spaces.nb201.SizeVariableNb201Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mixing weights of a search over its epochs, cut into the blocks a person reads them in (the NB201
 * cell; the DARTS normal and reduction cells; ZO-DARTS++'s ops, kernels and depths). The picture colours
 * each probability by its distance from the uniform 1/K of its edge, on a scale set by the largest such
 * distance in the block: after a few epochs every weight is still within hundredths of 1/K, and a 0..1
 * scale would show one flat colour.
 */
public record MixingWeights(List<Block> blocks) {
    public MixingWeights {
        blocks = List.copyOf(blocks);
    }

    /**
     * One block: {@code p[epoch][edge][op]} (NaN where an epoch has no such row, e.g. ZO-DARTS++ kernels
     * before the expansion epoch); {@code layout} groups edge indices into the rows of the picture (the
     * edges into one node of the cell share a row, as in the DARTS papers' cell drawings).
     */
    public record Block(String title, List<String> edges, List<String> ops, List<List<Integer>> layout, double[][][] p) {
        public Block {
            edges = List.copyOf(edges);
            ops = List.copyOf(ops);
            layout = layout.stream().map(List::copyOf).toList();
        }

        /** The uniform weight 1/K of an edge with K candidates. */
        public double centre() {
            return 1.0 / ops.size();
        }

        public int epochs() {
            return p.length;
        }

        /** p - 1/K per epoch, edge and op (NaN stays NaN). */
        public double[][][] deviation() {
            double[][][] d = new double[p.length][edges.size()][ops.size()];
            for (int e = 0; e < p.length; e++) {
                for (int r = 0; r < edges.size(); r++) {
                    for (int o = 0; o < ops.size(); o++) {
                        d[e][r][o] = p[e][r][o] - centre();
                    }
                }
            }
            return d;
        }

        /** The largest |p - 1/K| of the block (the colour scale runs over +-this); 1e-9 when all are uniform. */
        public double scale() {
            double s = 1e-9;
            for (double[][] epoch : deviation()) {
                for (double[] row : epoch) {
                    for (double v : row) {
                        if (!Double.isNaN(v)) {
                            s = Math.max(s, Math.abs(v));
                        }
                    }
                }
            }
            return s;
        }

        /** Index of the largest weight per epoch and edge (ties to the lower op; -1 where the row is absent). */
        public int[][] argmax() {
            int[][] a = new int[p.length][edges.size()];
            for (int e = 0; e < p.length; e++) {
                for (int r = 0; r < edges.size(); r++) {
                    double[] row = p[e][r];
                    int best = Double.isNaN(row[0]) ? -1 : 0;
                    for (int o = 1; o < row.length && best >= 0; o++) {
                        if (row[o] > row[best]) {
                            best = o;
                        }
                    }
                    a[e][r] = best;
                }
            }
            return a;
        }
    }

    /**
     * Splits each epoch's rows (as metrics.jsonl lists them) into the blocks of {@code space}: nb201 (6 x 5),
     * darts (normal then reduction, 14 x 8 or 14 x 7 without none), nb201-size-variable (18 x 5 ops, then from
     * the expansion 18 x 3 kernels and 3 x N depths). Rows of any other shape become one block per run of
     * equally wide rows, labelled by index. Epochs without probabilities are left out.
     */
    public static MixingWeights of(String space, List<double[][]> perEpoch) {
        List<double[][]> epochs = perEpoch.stream().filter(p -> p != null && p.length > 0).toList();
        if (epochs.isEmpty()) {
            return new MixingWeights(List.of());
        }
        double[][] widest = epochs.stream().max((a, b) -> Integer.compare(a.length, b.length)).orElseThrow();
        List<Block> blocks = switch (space) {
            case "nb201" -> widest.length == Nb201Arch.NUM_EDGES && widest[0].length == Nb201Arch.NUM_OPS
                    ? List.of(block("cell", 0, Nb201Arch.EDGE_NAMES, Nb201Arch.OPS, nb201Layout(0), epochs)) : null;
            case "darts" -> widest.length == 2 * DartsNetwork.EDGES && (widest[0].length == 8 || widest[0].length == 7)
                    ? darts(epochs, DartsOps.ops(widest[0].length == 8)) : null;
            case "nb201-size-variable" -> sizeVariable(epochs, widest);
            default -> null;
        };
        return new MixingWeights(blocks != null ? blocks : generic(epochs, widest));
    }

    private static List<Block> darts(List<double[][]> epochs, List<String> ops) {
        List<String> edges = new ArrayList<>();
        List<List<Integer>> layout = new ArrayList<>();
        for (int node = 0; node < DartsNetwork.STEPS; node++) {
            List<Integer> row = new ArrayList<>();
            for (int input = 0; input < node + 2; input++) {
                row.add(DartsNetwork.edge(node, input));
            }
            layout.add(row);
        }
        for (int e = 0; e < DartsNetwork.EDGES; e++) {
            edges.add("");
        }
        for (int node = 0; node < DartsNetwork.STEPS; node++) {
            for (int input = 0; input < node + 2; input++) {
                edges.set(DartsNetwork.edge(node, input), CellGraph.dartsNodeName(input) + " -> " + node);
            }
        }
        return List.of(block("normal cell", 0, edges, ops, layout, epochs),
                block("reduction cell", DartsNetwork.EDGES, edges, ops, layout, epochs));
    }

    private static List<Block> sizeVariable(List<double[][]> epochs, double[][] widest) {
        int edges = 3 * Nb201Arch.NUM_EDGES, kernels = SizeVariableNb201Network.KERNELS.length;
        if (widest.length != edges && widest.length != 2 * edges + 3) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<List<Integer>> layout = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Integer> row = new ArrayList<>();
            for (int e = 0; e < Nb201Arch.NUM_EDGES; e++) {
                names.add("stage " + s + " " + Nb201Arch.EDGE_NAMES.get(e));
                row.add(s * Nb201Arch.NUM_EDGES + e);
            }
            layout.add(row);
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(block("ops", 0, names, SizeVariableNb201Network.OPS, layout, epochs));
        if (widest.length == 2 * edges + 3) {
            List<String> ks = Arrays.stream(SizeVariableNb201Network.KERNELS).mapToObj(k -> k + "x" + k).toList();
            blocks.add(block("conv_kv kernels", edges, names, ks, layout, epochs));
            int cells = widest[2 * edges].length;
            List<String> depths = new ArrayList<>();
            for (int n = 1; n <= cells; n++) {
                depths.add(n + (n == 1 ? " cell" : " cells"));
            }
            blocks.add(block("cells kept per stage", 2 * edges, List.of("stage 0", "stage 1", "stage 2"), depths,
                    List.of(List.of(0, 1, 2)), epochs));
        }
        return blocks;
    }

    private static List<Block> generic(List<double[][]> epochs, double[][] widest) {
        List<Block> blocks = new ArrayList<>();
        int start = 0;
        while (start < widest.length) {
            int width = widest[start].length, end = start;
            while (end < widest.length && widest[end].length == width) {
                end++;
            }
            List<String> edges = new ArrayList<>(), ops = new ArrayList<>();
            List<List<Integer>> layout = new ArrayList<>();
            for (int r = start; r < end; r++) {
                edges.add("row " + r);
                layout.add(List.of(r - start));
            }
            for (int o = 0; o < width; o++) {
                ops.add("op " + o);
            }
            blocks.add(block("rows " + start + ".." + (end - 1), start, edges, ops, layout, epochs));
            start = end;
        }
        return blocks;
    }

    /** NB201's edges grouped by target node: 1<-0 | 2<-0 2<-1 | 3<-0 3<-1 3<-2. */
    private static List<List<Integer>> nb201Layout(int offset) {
        return List.of(List.of(offset), List.of(offset + 1, offset + 2), List.of(offset + 3, offset + 4, offset + 5));
    }

    private static Block block(String title, int firstRow, List<String> edges, List<String> ops,
            List<List<Integer>> layout, List<double[][]> epochs) {
        double[][][] p = new double[epochs.size()][edges.size()][ops.size()];
        for (int e = 0; e < epochs.size(); e++) {
            double[][] rows = epochs.get(e);
            for (int r = 0; r < edges.size(); r++) {
                int src = firstRow + r;
                boolean present = src < rows.length && rows[src].length == ops.size();
                for (int o = 0; o < ops.size(); o++) {
                    p[e][r][o] = present ? rows[src][o] : Double.NaN;
                }
            }
        }
        return new Block(title, edges, ops, layout, p);
    }
}
