package archway.evo;

import archway.spaces.GeneSpace;
import archway.trial.TrialResult;
import archway.trial.TrialRunner;
import archway.trial.TrialSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The surrogate-assisted NSGA-II loop (specs: flatnas-nachos.md). An initial design of random genomes is
 * measured; then each iteration (1) fits a surrogate per predicted objective on the archive, choosing between
 * the kinds by cross-validated Kendall tau, (2) runs NSGA-II on the surrogates (exact objectives computed
 * directly), starting from the archive's best, (3) picks a diverse set of new candidates, (4) measures them
 * through the {@link TrialRunner} and adds them to the archive. It stops after the configured iterations or
 * after {@code patience} iterations without hypervolume gain.
 *
 * <p>Seeded: every draw of iteration i comes from streams derived from (seed, i), and trials come back in
 * submission order, so the same seed gives the same archive, and a run resumed from the state after
 * iteration i continues as if it had never stopped.
 */
public final class SurrogateSearch {
    /** Called after the initial design and after each iteration, e.g. to checkpoint and print progress. */
    public interface Listener {
        void stateReached(SearchState state);
    }

    private static final long INITIAL = 1;
    private static final long SURROGATE = 2;
    private static final long EVOLVE = 3;
    private static final long TOP_UP = 4;

    private final EvoProblem problem;
    private final SearchSettings settings;
    private final TrialRunner runner;
    private final SurrogatePicker picker;

    public SurrogateSearch(EvoProblem problem, SearchSettings settings, TrialRunner runner, SurrogatePicker picker) {
        this.problem = problem;
        this.settings = settings;
        this.runner = runner;
        this.picker = picker;
    }

    /** Runs from {@code start} ({@link SearchState#empty()} for a new search) to the end; returns the final state. */
    public SearchState run(SearchState start, Listener listener) {
        SearchState state = start;
        if (state.iteration() < 0) {
            state = initialDesign();
            listener.stateReached(state);
        }
        while (!state.stopped() && state.iteration() < settings.iterations()) {
            state = iterate(state);
            listener.stateReached(state);
        }
        return state;
    }

    private SearchState initialDesign() {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(settings.seed(), INITIAL, 0));
        GeneSpace space = problem.space();
        Set<String> seen = new HashSet<>();
        List<int[]> genomes = new ArrayList<>();
        for (int tries = 0; genomes.size() < settings.initial() && tries < 1000 * settings.initial(); tries++) {
            int[] g = space.canonical(space.sample(rng));
            if (seen.add(Nsga2.key(g))) {
                genomes.add(g);
            }
        }
        List<ArchiveMember> archive = new ArrayList<>();
        int failed = measure(genomes, 0, archive);
        double hv = hypervolume(archive, archive.size());
        IterationRecord record = new IterationRecord(0, archive.size(), 0, hv, Map.of(), Map.of(), genomes.size(), failed, 0);
        return new SearchState(0, archive, List.of(record), 0, false);
    }

    private SearchState iterate(SearchState state) {
        int it = state.iteration() + 1;
        List<ArchiveMember> archive = new ArrayList<>(state.archive());
        if (archive.size() < 2) {
            throw new IllegalStateException("the archive has " + archive.size() + " members; every initial trial failed?");
        }
        double[][] real = problem.objectives(archive);
        double[][] features = new double[archive.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = problem.features(archive.get(i).genes());
        }
        int objectives = problem.objectiveCount();
        Surrogate[] models = new Surrogate[objectives];
        Map<String, String> chosen = new LinkedHashMap<>();
        Map<String, Map<String, Double>> taus = new LinkedHashMap<>();
        for (int m = 0; m < objectives; m++) {
            if (!problem.predicted(m)) {
                continue;
            }
            double[] y = new double[archive.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = real[i][m];
            }
            SurrogatePicker.Choice choice = picker.pick(features, y, Seeds.derive(settings.seed(), SURROGATE, it * 16L + m));
            models[m] = choice.model();
            chosen.put("f" + m, choice.kind());
            taus.put("f" + m, choice.tau());
        }
        Function<int[], double[]> predicted = genes -> {
            double[] f = new double[objectives];
            double[] x = problem.features(genes);
            for (int m = 0; m < objectives; m++) {
                f[m] = problem.predicted(m) ? models[m].predict(x) : problem.exactObjective(m, genes);
            }
            return f;
        };

        Set<String> inArchive = new HashSet<>();
        for (ArchiveMember a : archive) {
            inArchive.add(Nsga2.key(a.genes()));
        }
        List<int[]> start = bestFirst(archive, real, settings.nsga2().population());
        List<GeneSolution> population = new Nsga2(problem.space(), settings.nsga2())
                .run(start, predicted, inArchive, Seeds.derive(settings.seed(), EVOLVE, it));
        List<GeneSolution> fresh = population.stream().filter(s -> !inArchive.contains(Nsga2.key(s.genes()))).toList();
        double[][] freshObjectives = fresh.stream().map(s -> s.objectives().clone()).toArray(double[][]::new);
        List<int[]> picks = new ArrayList<>();
        Set<String> picked = new HashSet<>(inArchive);
        for (int i : DiversePick.pick(freshObjectives, settings.candidates())) {
            picks.add(fresh.get(i).genes());
            picked.add(Nsga2.key(fresh.get(i).genes()));
        }
        // NSGA-II may return fewer new genomes than asked for in a small space: top up with random new ones.
        SplittableRandom rng = new SplittableRandom(Seeds.derive(settings.seed(), TOP_UP, it));
        for (int tries = 0; picks.size() < settings.candidates() && tries < 1000; tries++) {
            int[] g = problem.space().canonical(problem.space().sample(rng));
            if (picked.add(Nsga2.key(g))) {
                picks.add(g);
            }
        }

        int before = archive.size();
        int failed = measure(picks, it, archive);
        double hvBefore = hypervolume(archive, before);
        double hv = hypervolume(archive, archive.size());
        boolean gain = hv > hvBefore * (1 + 1e-12) + 1e-15;
        int without = gain ? 0 : state.iterationsWithoutGain() + 1;
        boolean stop = without >= settings.patience();
        List<IterationRecord> history = new ArrayList<>(state.history());
        history.add(new IterationRecord(it, archive.size(), hvBefore, hv, chosen, taus, picks.size(), failed, without));
        return new SearchState(it, archive, history, without, stop);
    }

    /** Measures genomes through the runner; appends the successes to {@code archive}, returns the failure count. */
    private int measure(List<int[]> genomes, int iteration, List<ArchiveMember> archive) {
        List<TrialSpec> specs = genomes.stream().map(problem::trial).toList();
        List<TrialResult> results = runner.runAll(specs);
        int failed = 0;
        for (int i = 0; i < results.size(); i++) {
            TrialResult r = results.get(i);
            if (r.ok()) {
                archive.add(new ArchiveMember(iteration, genomes.get(i), r.id(), r.metrics()));
            } else {
                failed++;
            }
        }
        return failed;
    }

    /** Up to n archive genomes, best first: by front, then by crowding distance (largest first), then by order. */
    private static List<int[]> bestFirst(List<ArchiveMember> archive, double[][] real, int n) {
        int[] rank = ParetoSort.ranks(real);
        double[] crowd = new double[real.length];
        int maxRank = java.util.Arrays.stream(rank).max().orElse(0);
        for (int f = 0; f <= maxRank; f++) {
            final int front = f;
            int[] members = java.util.stream.IntStream.range(0, rank.length).filter(i -> rank[i] == front).toArray();
            double[][] sub = java.util.Arrays.stream(members).mapToObj(i -> real[i]).toArray(double[][]::new);
            double[] c = ParetoSort.crowding(sub);
            for (int j = 0; j < members.length; j++) {
                crowd[members[j]] = c[j];
            }
        }
        Integer[] order = new Integer[real.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> rank[a] != rank[b] ? Integer.compare(rank[a], rank[b])
                : crowd[a] != crowd[b] ? Double.compare(crowd[b], crowd[a]) : Integer.compare(a, b));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, order.length); i++) {
            out.add(archive.get(order[i]).genes());
        }
        return out;
    }

    /**
     * Hypervolume of the feasible members among the first {@code count} of the archive, under the objectives of
     * the whole current archive, each scaled to [0, 1] over the feasible members and measured against the
     * reference point 1.1 in every objective. Comparing count = before and after one iteration's candidates
     * therefore measures that iteration's gain on one scale.
     */
    double hypervolume(List<ArchiveMember> archive, int count) {
        double[][] real = problem.objectives(archive);
        List<double[]> feasible = new ArrayList<>();
        List<Boolean> early = new ArrayList<>();
        for (int i = 0; i < archive.size(); i++) {
            if (problem.feasible(archive.get(i))) {
                feasible.add(real[i]);
                early.add(i < count);
            }
        }
        if (feasible.isEmpty()) {
            return 0;
        }
        int m = problem.objectiveCount();
        double[] lo = new double[m];
        double[] hi = new double[m];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] p : feasible) {
            for (int j = 0; j < m; j++) {
                lo[j] = Math.min(lo[j], p[j]);
                hi[j] = Math.max(hi[j], p[j]);
            }
        }
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            if (early.get(i)) {
                double[] p = new double[m];
                for (int j = 0; j < m; j++) {
                    double range = hi[j] - lo[j];
                    p[j] = range > 0 ? (feasible.get(i)[j] - lo[j]) / range : 0;
                }
                points.add(p);
            }
        }
        double[] reference = new double[m];
        java.util.Arrays.fill(reference, 1.1);
        return Hypervolume.of(points.toArray(double[][]::new), reference);
    }
}
