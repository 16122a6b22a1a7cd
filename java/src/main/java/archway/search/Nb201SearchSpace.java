package archway.search;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import archway.nn.NetworkBuilder;
import archway.spaces.SupernetVariant;
import archway.spaces.nb201.Nb201Network;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAS-Bench-201 cell space; genotype = argmax over all five ops per edge (none included). Every edge is
 * kept, so PC-DARTS edge weights do not change the genotype.
 */
public final class Nb201SearchSpace implements SearchSpace {
    private final SupernetVariant variant;
    private Nb201Table table;
    private boolean tableTried;

    /** @param variant how the supernet is wired (partial channels, edge normalisation, auxiliary skip) */
    public Nb201SearchSpace(SupernetVariant variant) {
        this.variant = variant;
    }

    public Nb201SearchSpace() {
        this(SupernetVariant.PLAIN);
    }

    @Override
    public String name() { return "nb201"; }

    @Override
    public List<String> mixBlocks() { return List.of(Nb201Network.MIX_NAME); }

    @Override
    public int rows() { return Nb201Network.EDGES; }

    @Override
    public int opCount() { return Nb201Network.OPS.size(); }

    @Override
    public List<String> opNames() { return Nb201Network.OPS; }

    @Override
    public List<String> edgeNormBlocks() { return List.of(Nb201Network.EDGE_NORM_NAME); }

    /** Node i (1..3) has the i edges j < i, rows edge(i, 0) .. edge(i, i - 1). */
    @Override
    public int[] nodeInputs() { return new int[] {1, 2, 3}; }

    @Override
    public NetworkBuilder supernet(int channels, int cells, int classes) {
        return Nb201Network.supernet(channels, cells, classes, variant);
    }

    @Override
    public String genotype(double[] p) {
        return arch(p).toBenchmarkString();
    }

    /** Argmax per edge; ties go to the lower op index. */
    public static Nb201Arch arch(double[] p) {
        int k = Nb201Network.OPS.size();
        int[] ops = new int[Nb201Network.EDGES];
        for (int e = 0; e < ops.length; e++) {
            int best = 0;
            for (int o = 1; o < k; o++) {
                if (p[e * k + o] > p[e * k + best]) {
                    best = o;
                }
            }
            ops[e] = best;
        }
        return Nb201Arch.of(ops);
    }

    @Override
    public Map<String, Object> describe(String genotype) {
        Map<String, Object> m = new LinkedHashMap<>();
        Nb201Table t = table();
        if (t == null) {
            return m;
        }
        Nb201Arch a = Nb201Arch.parse(genotype);
        int index = t.indexOf(a);
        m.put("nb201_index", index);
        for (Nb201Dataset d : Nb201Dataset.values()) {
            m.put("nb201_" + d.id() + "_accuracy", t.accuracy(d, index));
        }
        return m;
    }

    private Nb201Table table() {
        if (!tableTried) {
            tableTried = true;
            try {
                table = Nb201Table.loadDefault();
            } catch (RuntimeException e) {
                System.err.println("note: NAS-Bench-201 table not available (" + e.getMessage() + "); no lookups");
            }
        }
        return table;
    }
}
