package archway.nb201;

import java.util.Arrays;
import java.util.List;

/**
 * One NAS-Bench-201 cell: an operation index for each of the six edges.
 *
 * <p>Operations, in the fixed order of {@link #OPS}: 0 none, 1 skip_connect, 2 nor_conv_1x1,
 * 3 nor_conv_3x3, 4 avg_pool_3x3. Edges, in the fixed order of {@link #EDGE_NAMES}: 1&lt;-0, 2&lt;-0,
 * 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2 (the order in which the benchmark string lists them).
 *
 * <p>Two text forms: the benchmark's own string {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|} and six op
 * digits in edge order, e.g. {@code 333313}. {@link #parse(String)} accepts both. Instances are immutable.
 */
public final class Nb201Arch implements Comparable<Nb201Arch> {
    /** Operation names by index; the index is what {@link #op(int)} returns. */
    public static final List<String> OPS =
            List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
    /** Edge names ({@code target<-source}) by edge index. */
    public static final List<String> EDGE_NAMES = List.of("1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2");
    /** Number of edges in a cell. */
    public static final int NUM_EDGES = 6;
    /** Number of candidate operations per edge. */
    public static final int NUM_OPS = 5;
    /** Number of distinct architectures, {@code NUM_OPS^NUM_EDGES}. */
    public static final int SPACE_SIZE = 15_625;

    private static final int[] SOURCE = {0, 0, 1, 0, 1, 2};
    private static final int[] TARGET = {1, 2, 2, 3, 3, 3};

    private final byte[] ops;

    private Nb201Arch(byte[] ops) {
        this.ops = ops;
    }

    /** An architecture from six op indices in edge order; throws IllegalArgumentException if out of range. */
    public static Nb201Arch of(int... ops) {
        if (ops.length != NUM_EDGES) {
            throw new IllegalArgumentException("an NB201 architecture has 6 edges, got " + ops.length + " op indices");
        }
        byte[] b = new byte[NUM_EDGES];
        for (int e = 0; e < NUM_EDGES; e++) {
            if (ops[e] < 0 || ops[e] >= NUM_OPS) {
                throw new IllegalArgumentException("op index " + ops[e] + " on edge " + e + " is not in 0.." + (NUM_OPS - 1));
            }
            b[e] = (byte) ops[e];
        }
        return new Nb201Arch(b);
    }

    /** The architecture with the given {@link #code()}, 0 .. SPACE_SIZE-1. */
    public static Nb201Arch fromCode(int code) {
        if (code < 0 || code >= SPACE_SIZE) {
            throw new IllegalArgumentException("architecture code " + code + " is not in 0.." + (SPACE_SIZE - 1));
        }
        byte[] b = new byte[NUM_EDGES];
        for (int e = NUM_EDGES - 1; e >= 0; e--) {
            b[e] = (byte) (code % NUM_OPS);
            code /= NUM_OPS;
        }
        return new Nb201Arch(b);
    }

    /**
     * Parses either form: a benchmark string (starts with {@code |}) or six op digits.
     *
     * @throws IllegalArgumentException with a message quoting the input and saying what is wrong
     */
    public static Nb201Arch parse(String text) {
        String s = text.strip();
        return s.startsWith("|") ? parseBenchmarkString(s) : parseDigits(s);
    }

    /** Parses six op digits in edge order, each 0..4, e.g. {@code 333313}. */
    public static Nb201Arch parseDigits(String digits) {
        String s = digits.strip();
        if (s.length() != NUM_EDGES) {
            throw new IllegalArgumentException("bad NB201 op digits '" + digits + "': expected 6 digits 0-4 (one per edge), got "
                    + s.length() + " characters");
        }
        byte[] b = new byte[NUM_EDGES];
        for (int e = 0; e < NUM_EDGES; e++) {
            char c = s.charAt(e);
            if (c < '0' || c > '4') {
                throw new IllegalArgumentException("bad NB201 op digits '" + digits + "': character " + (e + 1) + " ('" + c
                        + "') is not an op index 0-4");
            }
            b[e] = (byte) (c - '0');
        }
        return new Nb201Arch(b);
    }

    /** Parses the benchmark string {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}. */
    public static Nb201Arch parseBenchmarkString(String text) {
        String s = text.strip();
        String[] nodes = s.split("\\+", -1);
        if (nodes.length != 3) {
            throw bad(text, "expected 3 node groups separated by '+', got " + nodes.length);
        }
        byte[] b = new byte[NUM_EDGES];
        int edge = 0;
        for (int node = 1; node <= 3; node++) {
            String g = nodes[node - 1];
            if (g.length() < 2 || g.charAt(0) != '|' || g.charAt(g.length() - 1) != '|') {
                throw bad(text, "node " + node + " group '" + g + "' must start and end with '|'");
            }
            String[] items = g.substring(1, g.length() - 1).split("\\|", -1);
            if (items.length != node) {
                throw bad(text, "node " + node + " must have " + node + " incoming edge(s), got " + items.length);
            }
            for (int src = 0; src < node; src++) {
                String item = items[src];
                int tilde = item.lastIndexOf('~');
                if (tilde < 0) {
                    throw bad(text, "edge '" + item + "' is not of the form op~input");
                }
                String op = item.substring(0, tilde);
                String in = item.substring(tilde + 1);
                if (!in.equals(Integer.toString(src))) {
                    throw bad(text, "edge " + EDGE_NAMES.get(edge) + " must read from node " + src + ", got '~" + in + "'");
                }
                int k = OPS.indexOf(op);
                if (k < 0) {
                    throw bad(text, "unknown operation '" + op + "' on edge " + EDGE_NAMES.get(edge) + " (known: " + String.join(", ", OPS) + ")");
                }
                b[edge++] = (byte) k;
            }
        }
        return new Nb201Arch(b);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad NB201 architecture string '" + text + "': " + why);
    }

    /** Op index (0..4) on edge {@code edge} (0..5). */
    public int op(int edge) {
        return ops[edge];
    }

    /** Op name on edge {@code edge}. */
    public String opName(int edge) {
        return OPS.get(ops[edge]);
    }

    /** A copy of the six op indices. */
    public int[] ops() {
        int[] r = new int[NUM_EDGES];
        for (int e = 0; e < NUM_EDGES; e++) {
            r[e] = ops[e];
        }
        return r;
    }

    /** This architecture with edge {@code edge} set to {@code op}. */
    public Nb201Arch withOp(int edge, int op) {
        if (op < 0 || op >= NUM_OPS) {
            throw new IllegalArgumentException("op index " + op + " is not in 0.." + (NUM_OPS - 1));
        }
        byte[] b = ops.clone();
        b[edge] = (byte) op;
        return new Nb201Arch(b);
    }

    /** Base-5 number whose digits are the ops in edge order (edge 0 most significant): a dense id 0..15624. */
    public int code() {
        int c = 0;
        for (byte o : ops) {
            c = c * NUM_OPS + o;
        }
        return c;
    }

    /** Number of edges whose op differs (Hamming distance, 0..6). */
    public int distance(Nb201Arch other) {
        int d = 0;
        for (int e = 0; e < NUM_EDGES; e++) {
            if (ops[e] != other.ops[e]) {
                d++;
            }
        }
        return d;
    }

    /** Hamming distance between two {@link #code()} values, without allocating architectures. */
    public static int distance(int codeA, int codeB) {
        int d = 0;
        for (int e = 0; e < NUM_EDGES; e++) {
            if (codeA % NUM_OPS != codeB % NUM_OPS) {
                d++;
            }
            codeA /= NUM_OPS;
            codeB /= NUM_OPS;
        }
        return d;
    }

    /** Source node of an edge (0..2). */
    public static int edgeSource(int edge) {
        return SOURCE[edge];
    }

    /** Target node of an edge (1..3). */
    public static int edgeTarget(int edge) {
        return TARGET[edge];
    }

    /** The benchmark's string form, {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}. */
    public String toBenchmarkString() {
        StringBuilder sb = new StringBuilder(96);
        for (int e = 0; e < NUM_EDGES; e++) {
            if (e == 1 || e == 3) {
                sb.append('+');
            }
            if (e == 0 || e == 1 || e == 3) {
                sb.append('|');
            }
            sb.append(OPS.get(ops[e])).append('~').append(SOURCE[e]).append('|');
        }
        return sb.toString();
    }

    /** Six op digits in edge order, e.g. {@code 333313}. */
    public String toDigits() {
        char[] c = new char[NUM_EDGES];
        for (int e = 0; e < NUM_EDGES; e++) {
            c[e] = (char) ('0' + ops[e]);
        }
        return new String(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nb201Arch a && Arrays.equals(ops, a.ops);
    }

    @Override
    public int hashCode() {
        return code();
    }

    /** Orders by {@link #code()}. */
    @Override
    public int compareTo(Nb201Arch o) {
        return Integer.compare(code(), o.code());
    }

    /** The benchmark string. */
    @Override
    public String toString() {
        return toBenchmarkString();
    }
}
