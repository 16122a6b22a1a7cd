package archway.evo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.spaces.GeneSpace;
import archway.trial.LocalTrialRunner;
import archway.trial.TrialBudget;
import archway.trial.TrialSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The surrogate-assisted loop on a cheap synthetic problem: seeded, resumable, and it finds better genomes. */
class SurrogateSearchTest {
    /** Error: a bowl around genes = 5 plus seeded "training noise"; cost (exact): the gene sum. */
    static class Bowl implements EvoProblem {
        final GeneSpace space = GeneSpace.uniform(8, 8, 8, 8, 8);

        @Override
        public GeneSpace space() {
            return space;
        }

        @Override
        public int objectiveCount() {
            return 2;
        }

        @Override
        public boolean predicted(int m) {
            return m == 0;
        }

        @Override
        public double exactObjective(int m, int[] genes) {
            return cost(genes);
        }

        static double cost(int[] genes) {
            return java.util.Arrays.stream(genes).sum();
        }

        @Override
        public double[][] objectives(List<ArchiveMember> archive) {
            return archive.stream().map(a -> new double[] {a.metric("error"), cost(a.genes())}).toArray(double[][]::new);
        }

        @Override
        public boolean feasible(ArchiveMember member) {
            return true;
        }

        @Override
        public TrialSpec trial(int[] genes) {
            return new TrialSpec("test/bowl", genes, new TrialBudget(1, 0), 42, Map.of());
        }

        static Map<String, Double> evaluate(TrialSpec spec) {
            int[] g = spec.genes();
            double e = 0;
            for (int v : g) {
                e += (v - 5) * (v - 5);
            }
            double noise = new java.util.SplittableRandom(spec.seed() * 31 + java.util.Arrays.hashCode(g)).nextDouble();
            return Map.of("error", e + 0.5 * noise);
        }
    }

    private static SearchState search(int iterations, long seed, SearchState from, List<SearchState> seen) {
        SearchSettings settings = new SearchSettings(20, iterations, 4, new Nsga2.Settings(16, 8, 0.9, 20), 10, seed);
        try (LocalTrialRunner runner = new LocalTrialRunner(Bowl::evaluate, 2)) {
            return new SurrogateSearch(new Bowl(), settings, runner, SurrogatePicker.standard()).run(from, seen::add);
        }
    }

    @Test
    void sameSeedGivesTheSameArchive() {
        List<SearchState> seen = new ArrayList<>();
        SearchState a = search(4, 7, SearchState.empty(), seen);
        SearchState b = search(4, 7, SearchState.empty(), new ArrayList<>());
        assertEquals(a.archive(), b.archive());
        assertEquals(a.history(), b.history());
        assertEquals(20 + 4 * 4, a.archive().size());
        assertEquals(5, seen.size());   // initial design + 4 iterations
        Set<String> distinct = new HashSet<>();
        a.archive().forEach(m -> distinct.add(Nsga2.key(m.genes())));
        assertEquals(a.archive().size(), distinct.size(), "archive holds a genome twice");
        assertNotEquals(a.archive(), search(4, 8, SearchState.empty(), new ArrayList<>()).archive());
    }

    @Test
    void resumingFromACheckpointContinuesIdentically() {
        List<SearchState> seen = new ArrayList<>();
        SearchState straight = search(4, 3, SearchState.empty(), seen);
        SearchState afterTwo = seen.get(2);
        assertEquals(2, afterTwo.iteration());
        SearchState resumed = search(4, 3, afterTwo, new ArrayList<>());
        assertEquals(straight.archive(), resumed.archive());
        assertEquals(straight.history(), resumed.history());
    }

    @Test
    void resumingFromTheJsonCheckpointContinuesIdentically(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        List<SearchState> seen = new ArrayList<>();
        SearchState straight = search(3, 9, SearchState.empty(), seen);
        java.nio.file.Path file = dir.resolve("search-state.json");
        SearchStateFile.write(file, seen.get(1));
        SearchState back = SearchStateFile.read(file);
        assertEquals(seen.get(1), back);
        assertEquals(straight.archive(), search(3, 9, back, new ArrayList<>()).archive());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(archway.UserError.class,
                () -> SearchStateFile.read(dir.resolve("missing.json"))).getMessage().contains("missing.json"));
    }

    @Test
    void iterationsFindBetterGenomesThanTheInitialDesign() {
        SearchState s = search(6, 1, SearchState.empty(), new ArrayList<>());
        double bestInitial = s.archive().stream().filter(m -> m.iteration() == 0).mapToDouble(m -> m.metric("error")).min().orElseThrow();
        double bestLater = s.archive().stream().filter(m -> m.iteration() > 0).mapToDouble(m -> m.metric("error")).min().orElseThrow();
        assertTrue(bestLater < bestInitial, bestLater + " vs initial " + bestInitial);
        IterationRecord last = s.history().get(s.history().size() - 1);
        assertTrue(last.hypervolume() >= last.hypervolumeBefore());
        assertTrue(last.tau().get("f0").containsKey("rbf") && last.tau().get("f0").containsKey("forest"));
    }

    @Test
    void stopsAfterPatienceIterationsWithoutGain() {
        // one gene with two values: after the initial design nothing new can improve the front
        EvoProblem tiny = new Bowl() {
            final GeneSpace small = GeneSpace.uniform(2, 2);

            @Override
            public GeneSpace space() {
                return small;
            }
        };
        AtomicInteger states = new AtomicInteger();
        SearchSettings settings = new SearchSettings(4, 50, 1, new Nsga2.Settings(4, 2, 0.9, 20), 2, 1);
        try (LocalTrialRunner runner = new LocalTrialRunner(Bowl::evaluate, 1)) {
            SearchState s = new SurrogateSearch(tiny, settings, runner, SurrogatePicker.standard())
                    .run(SearchState.empty(), st -> states.incrementAndGet());
            assertTrue(s.stopped());
            assertEquals(2, s.iteration());
            assertEquals(2, s.iterationsWithoutGain());
        }
    }
}
