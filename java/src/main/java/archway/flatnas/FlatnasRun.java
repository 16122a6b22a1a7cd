package archway.flatnas;

import archway.UserError;
import archway.evo.ArchiveMember;
import archway.evo.IterationRecord;
import archway.evo.ParetoChart;
import archway.evo.ParetoRecord;
import archway.evo.ParetoSort;
import archway.evo.SearchSettings;
import archway.evo.SearchState;
import archway.evo.SearchStateFile;
import archway.evo.SurrogatePicker;
import archway.evo.SurrogateSearch;
import archway.report.ParetoHistory;
import archway.run.Checkpoint;
import archway.run.RunDirectory;
import archway.run.RunIoError;
import archway.run.RunStart;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3Json;
import archway.trial.ArchivedTrialRunner;
import archway.trial.TrialArchive;
import archway.trial.TrialProgress;
import archway.trial.TrialResult;
import archway.trial.TrialRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A FlatNAS search as a run: the surrogate-assisted loop over {@link FlatnasProblem} with trials measured by a
 * {@link TrialRunner}, and its run folder (opened by the caller with {@link RunDirectory#open}, which locks it and
 * applies the {@link RunStart}): {@code config.json}; {@code checkpoint.bin} (with {@code checkpoint.prev.bin}),
 * the search state and configuration, written at the start, after the initial design and after every iteration;
 * {@code trials.jsonl}, every trial result as it arrives, so a resumed run never repeats a finished trial, even
 * one of an unfinished iteration; {@code metrics.jsonl}, one line per iteration; at the end {@code result.json}
 * (archive and Pareto front, the front with the {@link FrontMetrics}) and {@code pareto.png}. One progress line per
 * trial and per iteration.
 */
public final class FlatnasRun {
    /**
     * Extra metrics for the front's members only (e.g. the OOD mean corruption error), measured through the run's
     * trial runner (so on a cluster too, and kept in trials.jsonl). Returns one map per member, in order.
     */
    @FunctionalInterface
    public interface FrontMetrics {
        List<Map<String, Double>> measure(List<ArchiveMember> front, TrialRunner runner);

        /** No extra metrics. */
        FrontMetrics NONE = (front, runner) -> front.stream().map(m -> Map.<String, Double>of()).toList();

        /** The same extra metrics computed member by member, without trials. */
        static FrontMetrics perMember(Function<int[], Map<String, Double>> f) {
            return (front, runner) -> front.stream().map(m -> f.apply(m.genes())).toList();
        }
    }

    public static final String CONFIG = "config.json";
    public static final String TRIALS = "trials.jsonl";
    public static final String RESULT = "result.json";
    public static final String PARETO = "pareto.png";
    private static final String STATE_SECTION = "search_state";

    private final FlatnasProblem problem;
    private final SearchSettings settings;
    private final Map<String, Object> config;
    private final RunDirectory dir;
    private final PrintStream log;

    /**
     * @param config what identifies the run (flags), written to config.json and into every checkpoint; a resumed
     *               run must have the same
     */
    public FlatnasRun(FlatnasProblem problem, SearchSettings settings, Map<String, Object> config, RunDirectory dir,
                      PrintStream log) {
        this.problem = problem;
        this.settings = settings;
        this.config = new LinkedHashMap<>(config);
        this.dir = dir;
        this.log = log;
    }

    /** Runs (or, when {@code start} resumes, continues) the search with trials on {@code runner}; returns result.json. */
    public Map<String, Object> run(TrialRunner runner, RunStart start, FrontMetrics frontMetrics) {
        String configJson = RunDirectory.toJson(config);
        SearchState from;
        if (start.resumes()) {
            Checkpoint ck = dir.resumeCheckpoint(configJson);
            try {
                from = SearchStateFile.fromJson(ck.getString(STATE_SECTION));
            } catch (IllegalArgumentException e) {
                throw new UserError("--resume: the search state in " + dir.checkpoint() + " is unreadable: "
                        + e.getMessage(), e);
            }
            dir.truncateMetrics(from.history().size());
        } else {
            delete(dir.file(TRIALS));
            delete(dir.file(PARETO));
            delete(dir.file(ParetoHistory.FILE));
            dir.truncateMetrics(0);
            from = SearchState.empty();
            checkpoint(from, configJson);
        }
        dir.writeJson(CONFIG, config);
        ArchivedTrialRunner archived = new ArchivedTrialRunner(runner, new TrialArchive(dir.file(TRIALS)),
                this::trialFinished);
        if (start.resumes()) {
            log.printf(Locale.ROOT, "resuming %s %s (%d trial results on file)%n", dir.path(), from.iteration() < 0
                    ? "in the initial design" : "after iteration " + from.iteration() + " (archive " + from.archive().size()
                    + ")", archived.archived());
        }
        SearchState end = new SurrogateSearch(problem, settings, archived, SurrogatePicker.standard())
                .run(from, s -> reached(s, configJson));
        Map<String, Object> result = result(end, frontMetrics, archived);
        dir.writeJson(RESULT, result);
        chart(end);
        log.println("wrote " + dir.file(RESULT) + " and " + dir.file(PARETO));
        return result;
    }

    private void checkpoint(SearchState s, String configJson) {
        dir.saveCheckpoint(new Checkpoint().putString("config", configJson)
                .putString(STATE_SECTION, SearchStateFile.toJson(s)));
    }

    /** One line per trial that ran (not those answered from trials.jsonl). */
    private void trialFinished(TrialResult r, TrialProgress progress) {
        String what;
        if (!r.ok()) {
            what = "failed: " + r.error();
        } else if (r.metrics().containsKey(FlatnasMetrics.ERROR) && r.metrics().containsKey(FlatnasMetrics.FLATNESS)) {
            what = String.format(Locale.ROOT, "error %.2f%%  R %.3f", r.metric(FlatnasMetrics.ERROR),
                    r.metric(FlatnasMetrics.FLATNESS));
            if (r.metrics().containsKey(FlatnasMetrics.MCE)) {
                what += String.format(Locale.ROOT, "  mCE %.2f%%", r.metric(FlatnasMetrics.MCE));
            }
        } else {
            what = "done";
        }
        log.printf(Locale.ROOT, "  trial %d/%d %s  %s%s%n", progress.arrived(), progress.toRun(), r.id().substring(0, 12),
                what, progress.text());
    }

    /** Checkpoint, metrics line and progress line for one reached state. */
    private void reached(SearchState s, String configJson) {
        checkpoint(s, configJson);
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
        writeParetoHistory(s);
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

    /**
     * pareto.json for the run report: feasible members on (parameters, objective 1), the axes the search's front is
     * on. Objective 1 scales R by the current archive's norm for every iteration, so the last iteration's front is
     * the search's and the earlier ones are drawn on the same scale.
     */
    private void writeParetoHistory(SearchState s) {
        double norm = FlatnasProblem.alphaNorm(s.archive());
        dir.writeJson(ParetoHistory.FILE, ParetoRecord.of(s, problem::feasible,
                new ParetoRecord.Axis("parameters", ParetoHistory.Direction.MINIMISE,
                        m -> problem.count(m.genes()).params()),
                new ParetoRecord.Axis("objective 1", ParetoHistory.Direction.MINIMISE,
                        m -> problem.objective1(m, norm)),
                m -> Mbv3Json.write(problem.mbv3().decode(m.genes()))));
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

    private Map<String, Object> result(SearchState s, FrontMetrics frontMetrics, TrialRunner runner) {
        List<ArchiveMember> archive = s.archive();
        double[][] objectives = problem.objectives(archive);
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < archive.size(); i++) {
            members.add(member(archive.get(i), objectives[i], Map.of()));
        }
        int[] onFront = front(archive);
        List<ArchiveMember> frontMembers = java.util.Arrays.stream(onFront).mapToObj(archive::get).toList();
        List<Map<String, Double>> extra = frontMetrics.measure(frontMembers, runner);
        List<Map<String, Object>> front = new ArrayList<>();
        for (int j = 0; j < onFront.length; j++) {
            front.add(member(archive.get(onFront[j]), objectives[onFront[j]], extra.get(j)));
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
        m.metrics().forEach(out::putIfAbsent); // the trial's other metrics (its params and MACs equal the counts above)
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

    private static void delete(java.nio.file.Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new RunIoError(file, "cannot remove", e);
        }
    }
}
