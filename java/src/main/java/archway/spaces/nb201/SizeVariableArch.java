package archway.spaces.nb201;

/**
 * One architecture of the size-variable NB201 space: per stage s, the op of each of the 6 edges (NB201
 * op indices 0..4, where 3 is conv_kv), the kernel of each conv_kv edge (7, 5 or 3) and the number of
 * cells kept (1..N). The cells of a stage share their choices.
 */
public record SizeVariableArch(int[][] ops, int[][] kernels, int[] depth) {
    public SizeVariableArch {
        if (ops.length != 3 || kernels.length != 3 || depth.length != 3) {
            throw new IllegalArgumentException("a size-variable NB201 architecture has 3 stages");
        }
        for (int s = 0; s < 3; s++) {
            if (ops[s].length != Nb201Network.EDGES || kernels[s].length != Nb201Network.EDGES || depth[s] < 1) {
                throw new IllegalArgumentException("stage " + s + ": 6 ops, 6 kernels and depth >= 1 expected");
            }
            for (int e = 0; e < Nb201Network.EDGES; e++) {
                if (ops[s][e] < 0 || ops[s][e] > 4 || (kernels[s][e] != 3 && kernels[s][e] != 5 && kernels[s][e] != 7)) {
                    throw new IllegalArgumentException("stage " + s + " edge " + e + ": op 0..4 and kernel 3/5/7 expected");
                }
            }
        }
        ops = new int[][] {ops[0].clone(), ops[1].clone(), ops[2].clone()};
        kernels = new int[][] {kernels[0].clone(), kernels[1].clone(), kernels[2].clone()};
        depth = depth.clone();
    }

    /** Parameters of one conv op at width c: (k^2 c + 1) c (convolution plus per-channel bias). */
    public static long convParams(int k, int c) {
        return ((long) k * k * c + 1) * c;
    }

    /**
     * Exact trainable parameters of {@link SizeVariableNb201Network#discrete}: the fixed parts plus, per stage,
     * depth x the cell's conv ops (every edge's op is built, also on edges whose source node is all-none).
     */
    public long params(int channels, int inChannels, int classes) {
        long p = SizeVariableNb201Network.fixedParams(channels, inChannels, classes);
        for (int s = 0; s < 3; s++) {
            int c = channels << s;
            long cell = 0;
            for (int e = 0; e < Nb201Network.EDGES; e++) {
                if (ops[s][e] == Nb201Network.CONV1) {
                    cell += convParams(1, c);
                } else if (ops[s][e] == SizeVariableNb201Network.CONV_KV) {
                    cell += convParams(kernels[s][e], c);
                }
            }
            p += depth[s] * cell;
        }
        return p;
    }

    /** "s0:d2|op~0|+|op~0|op~1|+...|;s1:..." with conv_kv written as conv_7x7 / conv_5x5 / conv_3x3. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            if (s > 0) {
                b.append(';');
            }
            b.append('s').append(s).append(":d").append(depth[s]);
            for (int i = 1; i < 4; i++) {
                b.append(i > 1 ? "+|" : "|");
                for (int j = 0; j < i; j++) {
                    int e = Nb201Network.edge(i, j);
                    int op = ops[s][e];
                    String name = op == SizeVariableNb201Network.CONV_KV ? "conv_" + kernels[s][e] + "x" + kernels[s][e]
                            : SizeVariableNb201Network.OPS.get(op);
                    b.append(name).append('~').append(j).append('|');
                }
            }
        }
        return b.toString();
    }
}
