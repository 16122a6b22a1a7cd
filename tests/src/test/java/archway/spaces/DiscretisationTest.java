package archway.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.search.DartsSearchSpace;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.darts.DartsOps;
import archway.spaces.darts.Discretisation;
import archway.spaces.darts.Genotype;
import archway.spaces.darts.Genotype.Gene;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DARTS genotype rule: top-2 incoming edges per node by their best non-none weight, argmax non-none op. */
class DiscretisationTest {
    private static final List<String> OPS = DartsOps.ALL;
    private static final int K = OPS.size();

    private static int op(String name) {
        return OPS.indexOf(name);
    }

    private static void set(double[] p, boolean reduce, int node, int input, String op, double v) {
        p[(reduce ? DartsNetwork.EDGES * K : 0) + DartsNetwork.edge(node, input) * K + op(op)] = v;
    }

    @Test
    void keepsTheTwoStrongestEdgesPerNodeIgnoringNone() {
        double[] p = new double[2 * DartsNetwork.EDGES * K];
        java.util.Arrays.fill(p, 0.1);
        // Node 2 (index 2 of 0..3, inputs 0..3): input 3 has a huge none weight, which must not count.
        set(p, false, 2, 3, "none", 0.99);
        set(p, false, 2, 1, "sep_conv_5x5", 0.5);
        set(p, false, 2, 2, "dil_conv_3x3", 0.4);
        set(p, false, 2, 0, "max_pool_3x3", 0.3);
        // Node 3: the strongest edge is input 4 (a later node), then input 0.
        set(p, false, 3, 4, "skip_connect", 0.8);
        set(p, false, 3, 0, "avg_pool_3x3", 0.7);
        // Reduction node 0: both inputs kept, op = argmax over non-none even when none is larger.
        set(p, true, 0, 0, "none", 0.9);
        set(p, true, 0, 0, "dil_conv_5x5", 0.2);
        set(p, true, 0, 1, "max_pool_3x3", 0.6);
        Genotype g = Discretisation.genotype(p, OPS);
        assertEquals(List.of(new Gene("sep_conv_5x5", 1), new Gene("dil_conv_3x3", 2)), g.normal().subList(4, 6));
        assertEquals(List.of(new Gene("skip_connect", 4), new Gene("avg_pool_3x3", 0)), g.normal().subList(6, 8));
        assertEquals(List.of(new Gene("max_pool_3x3", 1), new Gene("dil_conv_5x5", 0)), g.reduce().subList(0, 2));
        assertEquals(List.of(2, 3, 4, 5), g.normalConcat());
        assertEquals(List.of(2, 3, 4, 5), g.reduceConcat());
    }

    @Test
    void tiesGoToTheLowerInputAndTheLowerOp() {
        double[] p = new double[2 * DartsNetwork.EDGES * K];
        java.util.Arrays.fill(p, 0.125);
        Genotype g = Discretisation.genotype(p, OPS);
        for (int node = 0; node < DartsNetwork.STEPS; node++) {
            // All equal: inputs 0 and 1, op max_pool_3x3 (the first non-none op).
            assertEquals(new Gene("max_pool_3x3", 0), g.normal().get(2 * node));
            assertEquals(new Gene("max_pool_3x3", 1), g.normal().get(2 * node + 1));
        }
        set(p, false, 3, 2, "sep_conv_3x3", 0.5);
        set(p, false, 3, 4, "sep_conv_3x3", 0.5);
        set(p, false, 3, 4, "dil_conv_3x3", 0.5);
        Genotype h = Discretisation.genotype(p, OPS);
        assertEquals(List.of(new Gene("sep_conv_3x3", 2), new Gene("sep_conv_3x3", 4)), h.normal().subList(6, 8));
    }

    @Test
    void worksWithoutNoneAndThroughTheSearchSpace() {
        DartsSearchSpace space = new DartsSearchSpace(false, false);
        assertEquals(7, space.opCount());
        assertEquals(28, space.rows());
        double[] p = new double[space.rows() * space.opCount()];
        java.util.Arrays.fill(p, 1.0 / 7);
        p[DartsNetwork.edge(0, 1) * 7 + 0] = 0.9; // max_pool_3x3 is column 0 without none
        String text = space.genotype(p);
        assertEquals(new Gene("max_pool_3x3", 1), Genotype.parse(text).normal().get(0));
        assertThrows(IllegalArgumentException.class, () -> Discretisation.genotype(new double[5], OPS));
    }
}
