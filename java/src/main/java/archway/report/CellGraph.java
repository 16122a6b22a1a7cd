package archway.report;

import archway.nb201.Nb201Arch;
import archway.spaces.darts.DartsOps;
import archway.spaces.darts.Genotype;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A found cell as the DARTS and NAS-Bench-201 papers draw it: nodes, and one edge per kept operation labelled
 * with the op's name. "none" edges are left out (they carry nothing). DARTS cells get the two cell inputs
 * c_{k-2}, c_{k-1}, the intermediate nodes 0..3 and the output c_{k} fed (unlabelled) by the concatenated
 * nodes.
 */
public record CellGraph(String title, List<Node> nodes, List<Edge> edges) {
    private static final Pattern STAGE = Pattern.compile("s(\\d+):d(\\d+)(\\|.*)");

    /** What a node is for: inputs on the left, the output on the right. */
    public enum Kind {
        INPUT, INTERMEDIATE, OUTPUT
    }

    public record Node(String id, String label, Kind kind) {
    }

    /** An operation from node {@code from} to node {@code to}; label "" for a plain connection. */
    public record Edge(String from, String to, String label) {
    }

    public CellGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * The cells of an architecture: one for nb201 (benchmark string or 6 digits), the normal and reduction
     * cells for darts (Genotype(...)), one per stage for nb201-size-variable ("s0:d2|op~0|+...;s1:...").
     *
     * @throws IllegalArgumentException when the text is not an architecture of that space
     */
    public static List<CellGraph> of(String space, String architecture) {
        return switch (space) {
            case "nb201" -> List.of(nb201("cell", Nb201Arch.parse(architecture).toBenchmarkString()));
            case "darts" -> {
                Genotype g = Genotype.parse(architecture);
                yield List.of(darts("normal cell", g.normal(), g.normalConcat()),
                        darts("reduction cell", g.reduce(), g.reduceConcat()));
            }
            case "nb201-size-variable" -> sizeVariable(architecture);
            default -> throw new IllegalArgumentException("no cell drawing for space '" + space + "'");
        };
    }

    /** An NB201-shaped cell |op~0|+|op~0|op~1|+|op~0|op~1|op~2| with any op names: nodes 0..3, 3 the output. */
    public static CellGraph nb201(String title, String text) {
        String[] groups = text.strip().split("\\+", -1);
        if (groups.length != 3) {
            throw new IllegalArgumentException("cell '" + text + "': expected 3 node groups separated by '+'");
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i <= 3; i++) {
            nodes.add(new Node(Integer.toString(i), Integer.toString(i),
                    i == 0 ? Kind.INPUT : i == 3 ? Kind.OUTPUT : Kind.INTERMEDIATE));
        }
        List<Edge> edges = new ArrayList<>();
        for (int to = 1; to <= 3; to++) {
            String g = groups[to - 1];
            String[] items = g.length() >= 2 ? g.substring(1, g.length() - 1).split("\\|", -1) : new String[0];
            if (items.length != to) {
                throw new IllegalArgumentException("cell '" + text + "': node " + to + " needs " + to + " inputs");
            }
            for (String item : items) {
                int tilde = item.lastIndexOf('~');
                if (tilde < 0) {
                    throw new IllegalArgumentException("cell '" + text + "': edge '" + item + "' is not op~input");
                }
                String op = item.substring(0, tilde);
                if (!DartsOps.NONE.equals(op)) {
                    edges.add(new Edge(item.substring(tilde + 1), Integer.toString(to), op));
                }
            }
        }
        return new CellGraph(title, nodes, edges);
    }

    /** A DARTS cell: two genes per intermediate node, the concatenated nodes feeding the output. */
    public static CellGraph darts(String title, List<Genotype.Gene> genes, List<Integer> concat) {
        int steps = genes.size() / 2;
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node("c_{k-2}", "c_{k-2}", Kind.INPUT));
        nodes.add(new Node("c_{k-1}", "c_{k-1}", Kind.INPUT));
        for (int i = 0; i < steps; i++) {
            nodes.add(new Node(Integer.toString(i), Integer.toString(i), Kind.INTERMEDIATE));
        }
        nodes.add(new Node("c_{k}", "c_{k}", Kind.OUTPUT));
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < genes.size(); i++) {
            Genotype.Gene g = genes.get(i);
            if (!DartsOps.NONE.equals(g.op())) {
                edges.add(new Edge(dartsNodeName(g.input()), Integer.toString(i / 2), g.op()));
            }
        }
        for (int c : concat) {
            edges.add(new Edge(dartsNodeName(c), "c_{k}", ""));
        }
        return new CellGraph(title, nodes, edges);
    }

    /** Name of DARTS genotype input index i: c_{k-2}, c_{k-1}, then the intermediate nodes 0, 1, ... */
    public static String dartsNodeName(int input) {
        return input == 0 ? "c_{k-2}" : input == 1 ? "c_{k-1}" : Integer.toString(input - 2);
    }

    private static List<CellGraph> sizeVariable(String text) {
        List<CellGraph> out = new ArrayList<>();
        for (String stage : text.strip().split(";")) {
            Matcher m = STAGE.matcher(stage.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("size-variable cell '" + stage + "' is not s<stage>:d<cells>|op~0|+...");
            }
            int d = Integer.parseInt(m.group(2));
            out.add(nb201("stage " + m.group(1) + " (" + d + (d == 1 ? " cell)" : " cells)"), m.group(3)));
        }
        return out;
    }

    /**
     * Column of each node in a left-to-right drawing: the longest path from an input (inputs 0); the
     * output one past the deepest other node.
     */
    public int[] ranks() {
        int[] rank = new int[nodes.size()];
        // Nodes are listed in topological order (inputs, intermediates, output), so one pass settles them.
        for (int i = 0; i < nodes.size(); i++) {
            String id = nodes.get(i).id();
            for (Edge e : edges) {
                if (e.to().equals(id)) {
                    rank[i] = Math.max(rank[i], rank[index(e.from())] + 1);
                }
            }
        }
        int deepest = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).kind() != Kind.OUTPUT) {
                deepest = Math.max(deepest, rank[i]);
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).kind() == Kind.OUTPUT) {
                rank[i] = deepest + 1;
            }
        }
        return rank;
    }

    /** Position of the node with this id in {@link #nodes}. */
    public int index(String id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node '" + id + "' in " + title + " (nodes " + Arrays.toString(
                nodes.stream().map(Node::id).toArray()) + ")");
    }
}
