package archway.spaces.darts;

import java.util.ArrayList;
import java.util.List;

/**
 * The DARTS rule turning mixing weights into a genotype (specs/spaces.md): for each intermediate node
 * keep the two incoming edges whose largest non-none weight is largest, and on each the non-none op of
 * largest weight. Ties go to the lower input index and the lower op index (the DARTS code's stable
 * sort and strict comparison); genes are listed strongest edge first, as DARTS prints them.
 */
public final class Discretisation {
    private Discretisation() {
    }

    /**
     * @param p   alpha_normal rows then alpha_reduce rows (each {@link DartsNetwork#EDGES} x ops.size()),
     *            row-major
     * @param ops the op names of a row (with or without none)
     */
    public static Genotype genotype(double[] p, List<String> ops) {
        int k = ops.size(), block = DartsNetwork.EDGES * k;
        if (p.length != 2 * block) {
            throw new IllegalArgumentException("DARTS mixing weights: expected " + 2 * block + " values, got " + p.length);
        }
        List<Integer> concat = new ArrayList<>();
        for (int i = 0; i < DartsNetwork.STEPS; i++) {
            concat.add(i + 2);
        }
        return new Genotype(cell(p, 0, ops), concat, cell(p, block, ops), concat);
    }

    private static List<Genotype.Gene> cell(double[] p, int start, List<String> ops) {
        int k = ops.size(), none = ops.indexOf(DartsOps.NONE);
        List<Genotype.Gene> genes = new ArrayList<>();
        for (int node = 0; node < DartsNetwork.STEPS; node++) {
            int inputs = node + 2;
            int[] bestOp = new int[inputs];
            double[] strength = new double[inputs];
            for (int j = 0; j < inputs; j++) {
                int row = start + DartsNetwork.edge(node, j) * k;
                int best = -1;
                for (int o = 0; o < k; o++) {
                    if (o != none && (best < 0 || p[row + o] > p[row + best])) {
                        best = o;
                    }
                }
                bestOp[j] = best;
                strength[j] = p[row + best];
            }
            // Two strongest inputs; on equal strength the lower input index comes first.
            int first = -1, second = -1;
            for (int j = 0; j < inputs; j++) {
                if (first < 0 || strength[j] > strength[first]) {
                    second = first;
                    first = j;
                } else if (second < 0 || strength[j] > strength[second]) {
                    second = j;
                }
            }
            genes.add(new Genotype.Gene(ops.get(bestOp[first]), first));
            genes.add(new Genotype.Gene(ops.get(bestOp[second]), second));
        }
        return genes;
    }
}
