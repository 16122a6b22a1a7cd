package archway.evo;

import archway.spaces.GeneSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.uma.jmetal.operator.crossover.impl.TwoPointCrossover;
import org.uma.jmetal.operator.mutation.impl.IntegerPolynomialMutation;
import org.uma.jmetal.operator.selection.impl.BinaryTournamentSelection;
import org.uma.jmetal.operator.selection.impl.RankingAndCrowdingSelection;
import org.uma.jmetal.solution.Solution;
import org.uma.jmetal.util.comparator.RankingAndCrowdingDistanceComparator;
import org.uma.jmetal.util.densityestimator.impl.CrowdingDistanceDensityEstimator;
import org.uma.jmetal.util.ranking.Ranking;
import org.uma.jmetal.util.ranking.impl.FastNonDominatedSortRanking;

/**
 * NSGA-II on an integer genome, built from jMetal's parts: binary tournament on (rank, crowding), two-point
 * crossover, integer polynomial mutation (probability 1/genes), and environmental selection by ranking and
 * crowding over parents plus offspring. Offspring whose canonical genome is already in the population (or in
 * {@code exclude}) are dropped, so the final population has no duplicates. Seeded: jMetal's global generator
 * is replaced for the run ({@link JMetalRandomScope}), our own draws come from a {@link SplittableRandom}.
 */
public final class Nsga2 {
    /** Settings; {@link #DEFAULT} is the spec's: population 40, 20 generations, crossover 0.9, index 20. */
    public record Settings(int population, int generations, double crossoverProbability, double mutationDistributionIndex) {
        public static final Settings DEFAULT = new Settings(40, 20, 0.9, 20.0);

        public Settings {
            if (population < 2 || generations < 0 || crossoverProbability < 0 || crossoverProbability > 1) {
                throw new IllegalArgumentException("bad NSGA-II settings: " + population + " / " + generations + " / "
                        + crossoverProbability);
            }
        }
    }

    private final GeneSpace space;
    private final Settings settings;

    public Nsga2(GeneSpace space, Settings settings) {
        this.space = space;
        this.settings = settings;
    }

    /**
     * Evolves from {@code start} (topped up with random genomes to the population size) and returns the final
     * population, each with its objective values.
     *
     * @param objectives all minimised; called once per distinct new genome
     * @param exclude    canonical genomes never to produce (e.g. already evaluated for real), as {@link #key}s
     */
    public List<GeneSolution> run(List<int[]> start, Function<int[], double[]> objectives, Set<String> exclude, long seed) {
        return JMetalRandomScope.withSeed(seed, () -> evolve(start, objectives, exclude, new SplittableRandom(seed ^ 0x4E53_4741L)));
    }

    private List<GeneSolution> evolve(List<int[]> start, Function<int[], double[]> objectives, Set<String> exclude,
                                      SplittableRandom rng) {
        int[] card = space.cardinality();
        int n = settings.population();
        Set<String> seen = new HashSet<>(exclude);
        List<GeneSolution> population = new ArrayList<>();
        for (int[] g : start) {
            if (population.size() < n) {
                addIfNew(space.canonical(g), card, objectives, seen, population);
            }
        }
        for (int tries = 0; population.size() < n && tries < 100 * n; tries++) {
            addIfNew(space.canonical(space.sample(rng)), card, objectives, seen, population);
        }
        int objectiveCount = population.isEmpty() ? 0 : population.get(0).objectives().length;
        if (population.size() < 2) {
            return population;
        }
        rankAndCrowd(population);
        TwoPointCrossover<Integer> crossover = new TwoPointCrossover<>(settings.crossoverProbability());
        IntegerPolynomialMutation mutation = new IntegerPolynomialMutation(1.0 / card.length, settings.mutationDistributionIndex());
        BinaryTournamentSelection<GeneSolution> tournament =
                new BinaryTournamentSelection<>(new RankingAndCrowdingDistanceComparator<>());
        for (int gen = 0; gen < settings.generations(); gen++) {
            List<GeneSolution> offspring = new ArrayList<>();
            for (int tries = 0; offspring.size() < n && tries < 20 * n; tries++) {
                List<Solution<Integer>> parents = List.of(tournament.execute(population), tournament.execute(population));
                for (Solution<Integer> child : crossover.execute(parents)) {
                    GeneSolution c = (GeneSolution) mutation.execute((GeneSolution) child); // mutates in place
                    if (offspring.size() < n) {
                        addIfNew(space.canonical(c.genes()), card, objectives, seen, offspring);
                    }
                }
            }
            if (offspring.isEmpty()) {
                break;
            }
            List<GeneSolution> union = new ArrayList<>(population);
            union.addAll(offspring);
            population = new RankingAndCrowdingSelection<GeneSolution>(Math.min(n, union.size())).execute(union);
        }
        assert population.stream().allMatch(s -> s.objectives().length == objectiveCount);
        return population;
    }

    private static void addIfNew(int[] canonical, int[] card, Function<int[], double[]> objectives, Set<String> seen,
                                 List<GeneSolution> into) {
        if (!seen.add(key(canonical))) {
            return;
        }
        double[] f = objectives.apply(canonical);
        GeneSolution s = new GeneSolution(canonical, card, f.length);
        System.arraycopy(f, 0, s.objectives(), 0, f.length);
        into.add(s);
    }

    /** Sets the rank and crowding attributes the tournament comparator reads. */
    private static void rankAndCrowd(List<GeneSolution> population) {
        Ranking<GeneSolution> ranking = new FastNonDominatedSortRanking<GeneSolution>().compute(population);
        CrowdingDistanceDensityEstimator<GeneSolution> crowding = new CrowdingDistanceDensityEstimator<>();
        for (int f = 0; f < ranking.getNumberOfSubFronts(); f++) {
            crowding.compute(ranking.getSubFront(f));
        }
    }

    /** The identity of a canonical genome in sets and maps. */
    public static String key(int[] canonical) {
        return Arrays.toString(canonical);
    }
}
