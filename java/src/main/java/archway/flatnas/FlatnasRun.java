package archway.flatnas;

import archway.evo.ArchiveMember;
import archway.evo.IterationRecord;
import archway.evo.ParetoChart;
import archway.evo.ParetoSort;
import archway.evo.SearchSettings;
import archway.evo.SearchState;
import archway.evo.SearchRunFolder;
import archway.evo.SearchStateFile;
import archway.evo.SurrogatePicker;
import archway.evo.SurrogateSearch;
import archway.run.RunDirectory;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3Json;
import archway.trial.TrialRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A FlatNAS search as a run: the surrogate-assisted loop over {@link FlatnasProblem} with trials measured by a
 * {@link TrialRunner}, and its run folder: {@code config.json}; {@code search-state.json}, the checkpoint written
 * after the initial design and every iteration; {@code metrics.jsonl}, one line per iteration; at the end
 * {@code result.json} (archive and Pareto front) and {@code pareto.png}. One progress line per iteration.
 * {@code resume} continues from the checkpoint, which must have been written under the same configuration.
 */
public final class FlatnasRun {
    /** Extra metrics for the front's members only (e.g. the OOD mean corruption error), by genome. */
    public interface FrontMetrics extends Function<int[], Map<String, Double>> {
    }

    public static final String CONFIG = SearchRunFolder.CONFIG;
    public static final String STATE = SearchRunFolder.STATE;
    public static final String RESULT = "result.json";
    public static final String PARETO = "pareto.png";

    private final FlatnasProblem problem;
    private final SearchSettings settings;
    private final Map<String, Object> config;
    private final RunDirectory dir;
    private final PrintStream log;

    /** @param config what identifies the run (flags), written to config.json and compared on resume */
    public FlatnasRun(FlatnasProblem problem, SearchSettings settings, Map<String, Object> config, RunDirectory dir,
                      PrintStream log) {
        this.problem = problem;
        this.settings = settings;
        this.config = new LinkedHashMap<>(config);
        this.dir = dir;
        this.log = log;
    }

    /** Runs (or resumes) the search with trials on {@code runner}; returns result.json's content. */
    public Map<String, Object> run(TrialRunner runner, boolean resume, FrontMetrics frontMetrics) {
        SearchState start = SearchRunFolder.start(dir, RunDirectory.toJson(config), resume, log);
        SearchState end = new SurrogateSearch(problem, settings, runner, SurrogatePicker.standard()).run(start, this::reached);
        Map<String, Object> result = result(end, frontMetrics);
        dir.writeJson(RESULT, result);
        chart(end);
        log.println("wrote " + dir.file(RESULT) + " and " + dir.file(PARETO));
        return result;
    }

    /** Checkpoint, metrics line and progress line for one reached state. */
    private void reached(SearchState s) {
        SearchStateFile.write(dir.file(STATE), s);
        IterationRecord r = s.history().get(s.history().size() - 1);
        ArchiveMember best = bestFeasible(s.archive());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("iteration", r.iteration());
        line.put("archive", r.archiveSize());
        line.put("hypervolume", r.hypervolume());
        line.put("evaluated", r.evaluated());
        line.put("failed", r.failed());
        line.put("surrogate", r.surrogate());
        line.put("tau", r.tau());
        if (best != null) {
            line.put("best_error", best.metric(FlatnasMetrics.ERROR));
            line.put("best_flatness", best.metric(FlatnasMetrics.FLATNESS));
            line.put("best_params", problem.count(best.genes()).params());
        }
        dir.appendMetrics(line);
        StringBuilder p = new StringBuilder(String.format(Locale.ROOT, "iter %d/%d  archive %d  hv %.4f", r.iteration(),
                settings.iterations(), r.archiveSize(), r.hypervolume()));
        if (best != null) {
            p.append(String.format(Locale.ROOT, "  best err %.2f%%  R %.3f  params %,d", best.metric(FlatnasMetrics.ERROR),
                    best.metric(FlatnasMetrics.FLATNESS), problem.count(best.genes()).params()));
        }
        r.surrogate().forEach((objective, kind) -> p.append(String.format(Locale.ROOT, "  surrogate %s (tau %.2f)", kind,
                r.tau().get(objective).get(kind))));
        if (r.failed() > 0) {
            p.append("  failed trials ").append(r.failed());
        }
        log.println(p);
    }

    /** The feasible member with the lowest error (ties: fewer parameters), or null. */
    private ArchiveMember bestFeasible(List<ArchiveMember> archive) {
        ArchiveMember best = null;
        for (ArchiveMember m : archive) {
            if (problem.feasible(m) && (best == null || m.metric(FlatnasMetrics.ERROR) < best.metric(FlatnasMetrics.ERROR))) {
                best = m;
            }
        }
        return best;
    }

    /** Indices of the feasible members on the front of (objective 1, parameters). */
    public int[] front(List<ArchiveMember> archive) {
        List<Integer> feasible = new ArrayList<>();
        for (int i = 0; i < archive.size(); i++) {
            if (problem.feasible(archive.get(i))) {
                feasible.add(i);
            }
        }
        double[][] all = problem.objectives(archive);
        double[][] f = feasible.stream().map(i -> all[i]).toArray(double[][]::new);
        return java.util.Arrays.stream(ParetoSort.front(f)).map(feasible::get).toArray();
    }

    private Map<String, Object> result(SearchState s, FrontMetrics frontMetrics) {
        List<ArchiveMember> archive = s.archive();
        double[][] objectives = problem.objectives(archive);
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < archive.size(); i++) {
            members.add(member(archive.get(i), objectives[i], Map.of()));
        }
        List<Map<String, Object>> front = new ArrayList<>();
        for (int i : front(archive)) {
            Map<String, Double> extra = frontMetrics == null ? Map.of() : frontMetrics.apply(archive.get(i).genes());
            front.add(member(archive.get(i), objectives[i], extra));
        }
        front.sort(java.util.Comparator.comparingLong(m -> (Long) m.get("params")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("algo", "flatnas");
        out.put("space", "mbv3");
        out.put("iterations", s.iteration());
        out.put("stopped_early", s.stopped());
        out.put("alpha_norm", FlatnasProblem.alphaNorm(archive));
        out.put("front", front);
        out.put("archive", members);
        out.put("history", s.history());
        return out;
    }

    private Map<String, Object> member(ArchiveMember m, double[] objectives, Map<String, Double> extra) {
        Mbv3Count c = problem.count(m.genes());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arch", Mbv3Json.write(problem.mbv3().decode(m.genes())));
        out.put("genes", m.genes());
        out.put("iteration", m.iteration());
        out.put("trial", m.trialId());
        out.put("error", m.metric(FlatnasMetrics.ERROR));
        out.put("flatness", m.metric(FlatnasMetrics.FLATNESS));
        out.put("params", c.params());
        out.put("macs", c.macs());
        out.put("objective", objectives[0]);
        m.metrics().forEach((k, v) -> {
            if (!k.equals(FlatnasMetrics.ERROR) && !k.equals(FlatnasMetrics.FLATNESS)) {
                out.put(k, v);
            }
        });
        out.putAll(extra);
        return out;
    }

    private void chart(SearchState s) {
        List<ArchiveMember> archive = s.archive();
        double[][] all = archive.stream().map(m -> new double[] {problem.count(m.genes()).params() / 1e6,
                m.metric(FlatnasMetrics.ERROR)}).toArray(double[][]::new);
        double[][] front = java.util.Arrays.stream(front(archive)).mapToObj(i -> all[i]).toArray(double[][]::new);
        try {
            ParetoChart.write(dir.file(PARETO), "FlatNAS on " + config.getOrDefault("dataset", "?"), "parameters (M)",
                    "test error (%)", all, front);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.file(PARETO), e);
        }
    }
}
