package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.run.RunDirectory;
import archway.spaces.SupernetVariant.PartialChannels;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.darts.Genotype;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PC-DARTS edge normalisation (docs/specs/darts-family.md): softmax(beta) over each node's incoming edges,
 * its vector-Jacobian product against central differences in double precision, the genotype ranking edges by
 * p(op) * weight(edge), and a pc-darts search that learns beta (on by default; off with the AsquaredM setting).
 */
class EdgeNormalisationTest {
    @Test
    void weightsAreASoftmaxOverEachNodesEdgesAndTheirGradientMatchesFiniteDifferences() {
        int[] nodes = {2, 3, 4, 5};
        EdgeNormalisation n = new EdgeNormalisation(nodes);
        assertEquals(14, n.size());
        SplittableRandom r = new SplittableRandom(3);
        double[] theta = new double[3 + 14]; // three leading alpha entries the map must skip
        double[] c = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = r.nextGaussian();
            c[i] = r.nextGaussian();
        }
        double[] w = n.weights(theta, 3);
        // Node 1 (edges 2..4): exp(beta_j) / sum over its three edges.
        double z = Math.exp(theta[5]) + Math.exp(theta[6]) + Math.exp(theta[7]);
        assertEquals(Math.exp(theta[6]) / z, w[3], 1e-15);
        // L = sum_j c_j w_j: the analytic dL/dbeta against central differences.
        double[] shown = new double[theta.length], dw = new double[theta.length], g = new double[theta.length];
        System.arraycopy(w, 0, shown, 3, 14);
        System.arraycopy(c, 3, dw, 3, 14);
        n.backward(shown, dw, g, 3);
        double h = 1e-6;
        for (int i = 3; i < theta.length; i++) {
            double[] t = theta.clone();
            t[i] += h;
            double up = dot(c, n.weights(t, 3));
            t[i] -= 2 * h;
            double down = dot(c, n.weights(t, 3));
            assertEquals((up - down) / (2 * h), g[i], 1e-8, "beta " + (i - 3));
        }
    }

    private static double dot(double[] c, double[] w) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += c[3 + j] * w[j];
        }
        return s;
    }

    @Test
    void dartsGenotypeRanksEdgesByOpWeightTimesEdgeWeight() {
        DartsSearchSpace space = new DartsSearchSpace();
        int k = space.opCount();
        double[] p = new double[space.rows() * k];
        Arrays.fill(p, 1.0 / k);
        // Node 0 of the normal cell: input 0 strongly sep_conv_3x3 (0.6), input 1 mildly max_pool (0.3).
        int sep = space.opNames().indexOf("sep_conv_3x3"), pool = space.opNames().indexOf("max_pool_3x3");
        p[DartsNetwork.edge(0, 0) * k + sep] = 0.6;
        p[DartsNetwork.edge(0, 1) * k + pool] = 0.3;
        double[] w = new double[space.rows()];
        Arrays.fill(w, 0.5);
        assertEquals(Genotype.parse(space.genotype(p)), Genotype.parse(space.genotype(p, w)), "equal weights change nothing");
        // Node 2 (inputs 0..3): without edge weights inputs 0 and 1 tie with 2 and 3 (lower index wins); weighting
        // inputs 2 and 3 up must select them, with the ops of their rows.
        int node = 2;
        w[DartsNetwork.edge(node, 2)] = 0.9;
        w[DartsNetwork.edge(node, 3)] = 0.8;
        Genotype g = Genotype.parse(space.genotype(p, w));
        assertEquals(2, g.normal().get(2 * node).input());
        assertEquals(3, g.normal().get(2 * node + 1).input());
        assertNotEquals(Genotype.parse(space.genotype(p)).normal().get(2 * node), g.normal().get(2 * node));
        assertEquals(Genotype.parse(space.genotype(p)).normal().get(0), g.normal().get(0));
    }

    @Test
    void pcDartsSearchLearnsEdgeWeightsByDefaultAndNotWithoutEdgeNormalisation(@TempDir Path tmp) throws Exception {
        SearchConfig cfg = SearchConfig.defaults(SpaceKind.NB201, Algorithm.DARTS, Base.PC_DARTS, "fashion-mnist-mini",
                tmp.resolve("on")).withSize(1, 4, 1, 16).withSeed(3, 2).withTrainLimit(128);
        assertEquals(new SearchConfig.PcDartsSettings(PartialChannels.PER_CELL, true), cfg.pcDarts());
        SearchResult on = new Search(cfg, SearchDriverTest.QUIET).run(false);
        JsonNode config = RunDirectory.JSON.readTree(tmp.resolve("on/config.json").toFile());
        assertEquals("cell", config.get("partial_channels").asText());
        assertTrue(config.get("edge_norm").asBoolean());
        @SuppressWarnings("unchecked")
        var weights = (java.util.List<Double>) on.fields().get("edge_weights");
        @SuppressWarnings("unchecked")
        var beta = (java.util.List<Double>) on.fields().get("edge_beta");
        assertEquals(6, weights.size());
        // Node i of the NB201 cell has edges edge(i, 0) .. edge(i, i - 1): each node's weights sum to 1.
        assertEquals(1.0, weights.get(0), 1e-12);
        assertEquals(1.0, weights.get(1) + weights.get(2), 1e-12);
        assertEquals(1.0, weights.get(3) + weights.get(4) + weights.get(5), 1e-12);
        assertNotEquals(GradientSearch.initialAlpha(6 * 5 + 6, 3)[6 * 5 + 1], beta.get(1), "beta was trained");

        SearchResult off = new Search(cfg.withOut(tmp.resolve("off"))
                .withPcDarts(new SearchConfig.PcDartsSettings(PartialChannels.PER_EDGE, false)), SearchDriverTest.QUIET).run(false);
        JsonNode offConfig = RunDirectory.JSON.readTree(tmp.resolve("off/config.json").toFile());
        assertEquals("edge", offConfig.get("partial_channels").asText());
        assertFalse(offConfig.get("edge_norm").asBoolean());
        assertNull(off.fields().get("edge_weights"));
    }
}
