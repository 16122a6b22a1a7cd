package archway.evo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.spaces.GeneSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** NSGA-II on ZDT1 (discretised), whose Pareto front f2 = 1 - sqrt(f1) is known in closed form. */
class Nsga2Test {
    private static final int LEVELS = 101;
    private static final int GENES = 6;
    private static final GeneSpace SPACE = GeneSpace.uniform(LEVELS, LEVELS, LEVELS, LEVELS, LEVELS, LEVELS);

    private static final Function<int[], double[]> ZDT1 = genes -> {
        double f1 = genes[0] / (LEVELS - 1.0);
        double sum = 0;
        for (int i = 1; i < genes.length; i++) {
            sum += genes[i] / (LEVELS - 1.0);
        }
        double g = 1 + 9 * sum / (genes.length - 1);
        return new double[] {f1, g * (1 - Math.sqrt(f1 / g))};
    };

    /** The area the true front dominates inside [0, 1.1]^2: 1.1 * 1.1 - (area above it) = 0.1 + 2/3 + 0.11. */
    private static final double TRUE_HV = 0.1 + 2.0 / 3 + 0.11;

    private static double hv(List<GeneSolution> population) {
        return Hypervolume.of(population.stream().map(s -> s.objectives().clone()).toArray(double[][]::new),
                new double[] {1.1, 1.1});
    }

    @Test
    void approachesTheKnownFrontOfZdt1() {
        Nsga2 nsga = new Nsga2(SPACE, new Nsga2.Settings(40, 80, 0.9, 20));
        List<GeneSolution> population = nsga.run(List.of(), ZDT1, Set.of(), 11);
        assertEquals(40, population.size());
        double hv = hv(population);
        assertTrue(hv > 0.95 * TRUE_HV, "hypervolume " + hv + " of " + TRUE_HV);
        // most of the final front lies on the true front: f2 close to 1 - sqrt(f1)
        int near = 0;
        for (GeneSolution s : population) {
            double f1 = s.objectives()[0];
            if (s.objectives()[1] - (1 - Math.sqrt(f1)) < 0.05) {
                near++;
            }
        }
        assertTrue(near >= 30, near + " of 40 near the front");
        // and it beats random search that evaluates as many genomes
        SplittableRandom rng = new SplittableRandom(11);
        double[][] random = new double[40 * 81][];
        for (int i = 0; i < random.length; i++) {
            random[i] = ZDT1.apply(SPACE.sample(rng));
        }
        assertTrue(hv > Hypervolume.of(random, new double[] {1.1, 1.1}));
    }

    @Test
    void sameSeedSamePopulationAndNoDuplicatesOrExcludedGenomes() {
        Nsga2 nsga = new Nsga2(SPACE, new Nsga2.Settings(20, 10, 0.9, 20));
        int[] banned = {0, 0, 0, 0, 0, 0};
        Set<String> exclude = Set.of(Nsga2.key(banned));
        List<GeneSolution> a = nsga.run(List.of(), ZDT1, exclude, 5);
        List<GeneSolution> b = nsga.run(List.of(), ZDT1, exclude, 5);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Nsga2.key(a.get(i).genes()), Nsga2.key(b.get(i).genes()));
            assertTrue(keys.add(Nsga2.key(a.get(i).genes())), "duplicate genome");
            assertTrue(!exclude.contains(Nsga2.key(a.get(i).genes())));
        }
        List<GeneSolution> c = nsga.run(List.of(), ZDT1, exclude, 6);
        assertTrue(!Nsga2.key(a.get(0).genes()).equals(Nsga2.key(c.get(0).genes())) || hv(a) != hv(c));
    }
}
