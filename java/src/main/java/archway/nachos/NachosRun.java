package archway.nachos;

import archway.evo.ArchiveMember;
import archway.evo.IterationRecord;
import archway.evo.ParetoChart;
import archway.evo.ParetoRecord;
import archway.evo.ParetoSort;
import archway.evo.SearchRunFolder;
import archway.evo.SearchSettings;
import archway.evo.SearchState;
import archway.evo.SearchStateFile;
import archway.evo.SurrogatePicker;
import archway.evo.SurrogateSearch;
import archway.report.ParetoHistory;
import archway.run.RunDirectory;
import archway.spaces.mbv3.Mbv3Json;
import archway.trial.ArchivedTrialRunner;
import archway.trial.TrialArchive;
import archway.trial.TrialJson;
import archway.trial.TrialProgress;
import archway.trial.TrialResult;
import archway.trial.TrialRunner;
import archway.trial.TrialSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A NACHOS search as a run: the surrogate-assisted loop over {@link NachosProblem} with trials on a
 * {@link TrialRunner}, and its run folder: {@code config.json}; {@code search-state.json} (checkpoint after the
 * initial design and every iteration); {@code metrics.jsonl}; {@code weights/<trial id>.ckpt}, the trained weights of
 * trials run locally; at the end {@code result.json} (archive and the admissible Pareto set of error vs expected MACs,
 * each member with its exits' stages, pools, thresholds, rates and accuracies and its weights file) and
 * {@code pareto.png}. An admissible member whose weights are missing (a trial run on a cluster worker) is retrained
 * locally from its spec, which gives the same weights. {@code resume} continues from the checkpoint.
 */
public final class NachosRun {
    public static final String CONFIG = SearchRunFolder.CONFIG;
    public static final String STATE = SearchRunFolder.STATE;
    public static final String RESULT = "result.json";
    public static final String PARETO = "pareto.png";
    public static final String WEIGHTS = "weights";
    /** Every trial result, appended and synced as it arrives: a resumed run never trains a finished trial again. */
    public static final String TRIALS = "trials.jsonl";

    /** Makes sure an admissible member's trained weights exist at {@code file} (trains it again if need be). */
    @FunctionalInterface
    public interface MemberWeights {
        void ensure(TrialSpec spec, Path file) throws IOException;
    }

    /** The default: a missing weights file is written by running the member's trial again here. */
    public static final MemberWeights RETRAIN = (spec, file) -> {
        if (!Files.exists(file)) {
            new NachosTrial(file.getParent()).evaluate(spec);
        }
    };

    private final NachosProblem problem;
    private final MemberWeights memberWeights;
    private final SearchSettings settings;
    private final Map<String, Object> config;
    private final RunDirectory dir;
    private final PrintStream log;

    public NachosRun(NachosProblem problem, SearchSettings settings, Map<String, Object> config, RunDirectory dir,
            PrintStream log) {
        this(problem, settings, config, dir, log, RETRAIN);
    }

    public NachosRun(NachosProblem problem, SearchSettings settings, Map<String, Object> config, RunDirectory dir,
            PrintStream log, MemberWeights memberWeights) {
        this.problem = problem;
        this.memberWeights = memberWeights;
        this.settings = settings;
        this.config = new LinkedHashMap<>(config);
        this.dir = dir;
        this.log = log;
    }

    /** The folder local trials keep their weights in (give it to {@link NachosTrial#NachosTrial(Path)}). */
    public Path weightsDir() {
        return dir.file(WEIGHTS);
    }

    /**
     * Runs (or resumes) the search; returns result.json's content. Trials go through trials.jsonl: those on file
     * (finished before a kill, in the initial design too) are answered from it.
     */
    public Map<String, Object> run(TrialRunner runner, boolean resume) {
        SearchState start = SearchRunFolder.start(dir, RunDirectory.toJson(config), resume, log);
        if (!resume) {
            try {
                Files.deleteIfExists(dir.file(TRIALS));  // an earlier run's, in a reused --out
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + dir.file(TRIALS), e);
            }
        }
        ArchivedTrialRunner archived = new ArchivedTrialRunner(runner, new TrialArchive(dir.file(TRIALS)),
                this::trialFinished);
        if (resume && archived.archived() > 0) {
            log.printf(Locale.ROOT, "%d trial results on file in %s%n", archived.archived(), dir.file(TRIALS));
        }
        SearchState end = new SurrogateSearch(problem, settings, archived, SurrogatePicker.standard())
                .run(start, this::reached);
        Map<String, Object> result = result(end);
        dir.writeJson(RESULT, result);
        chart(end);
        log.println("wrote " + dir.file(RESULT) + " and " + dir.file(PARETO));
        return result;
    }

    /** One line per trial that ran (not those answered from trials.jsonl). */
    private void trialFinished(TrialResult r, TrialProgress progress) {
        String what = !r.ok() ? "failed: " + r.error()
                : r.metrics().containsKey(NachosMetrics.ERROR) && r.metrics().containsKey(NachosMetrics.MACS)
                ? String.format(Locale.ROOT, "error %.2f%%  expected MACs %,.0f", r.metric(NachosMetrics.ERROR),
                        r.metric(NachosMetrics.MACS))
                : "done";
        log.printf(Locale.ROOT, "  trial %d/%d %s  %s%s%n", progress.arrived(), progress.toRun(), r.id().substring(0, 12),
                what, progress.text());
    }

    private void reached(SearchState s) {
        SearchStateFile.write(dir.file(STATE), s);
        IterationRecord r = s.history().get(s.history().size() - 1);
        ArchiveMember best = null;
        int admissible = 0;
        for (ArchiveMember m : s.archive()) {
            if (problem.feasible(m)) {
                admissible++;
                if (best == null || m.metric(NachosMetrics.ERROR) < best.metric(NachosMetrics.ERROR)) {
                    best = m;
                }
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("iteration", r.iteration());
        line.put("archive", r.archiveSize());
        line.put("admissible", admissible);
        line.put("hypervolume", r.hypervolume());
        line.put("evaluated", r.evaluated());
        line.put("failed", r.failed());
        line.put("surrogate", r.surrogate());
        line.put("tau", r.tau());
        StringBuilder p = new StringBuilder(String.format(Locale.ROOT, "iter %d/%d  archive %d  admissible %d  hv %.4f",
                r.iteration(), settings.iterations(), r.archiveSize(), admissible, r.hypervolume()));
        if (best != null) {
            line.put("best_error", best.metric(NachosMetrics.ERROR));
            line.put("best_macs", best.metric(NachosMetrics.MACS));
            p.append(String.format(Locale.ROOT, "  best err %.2f%% at %,.0f MACs", best.metric(NachosMetrics.ERROR),
                    best.metric(NachosMetrics.MACS)));
        }
        if (r.failed() > 0) {
            p.append("  failed trials ").append(r.failed());
        }
        dir.appendMetrics(line);
        dir.writeJson(ParetoHistory.FILE, ParetoRecord.of(s, problem::feasible,
                new ParetoRecord.Axis("expected MACs", ParetoHistory.Direction.MINIMISE, m -> m.metric(NachosMetrics.MACS)),
                new ParetoRecord.Axis("error %", ParetoHistory.Direction.MINIMISE, m -> m.metric(NachosMetrics.ERROR)),
                this::label));
        log.println(p);
    }

    /** A member in the report: its backbone (mbv3 JSON) and the stages its exits follow. */
    private String label(ArchiveMember m) {
        NachosGeneSpace.Decoded d = problem.nachos().decode(m.genes());
        return Mbv3Json.write(d.arch()) + " exits after stages "
                + java.util.Arrays.toString(java.util.Arrays.stream(d.exits().stages()).map(x -> x + 1).toArray());
    }

    /** Indices of the admissible members on the front of (error, expected MACs). */
    public int[] front(List<ArchiveMember> archive) {
        List<Integer> feasible = new ArrayList<>();
        for (int i = 0; i < archive.size(); i++) {
            if (problem.feasible(archive.get(i))) {
                feasible.add(i);
            }
        }
        double[][] f = feasible.stream().map(i -> new double[] {archive.get(i).metric(NachosMetrics.ERROR),
                archive.get(i).metric(NachosMetrics.MACS)}).toArray(double[][]::new);
        return java.util.Arrays.stream(ParetoSort.front(f)).map(feasible::get).toArray();
    }

    private Map<String, Object> result(SearchState s) {
        List<ArchiveMember> archive = s.archive();
        List<Map<String, Object>> members = new ArrayList<>();
        for (ArchiveMember m : archive) {
            members.add(member(m, null));
        }
        List<ArchiveMember> onFront = new ArrayList<>();
        for (int i : front(archive)) {
            onFront.add(archive.get(i));
        }
        onFront.sort(java.util.Comparator.comparingDouble(m -> m.metric(NachosMetrics.MACS)));
        List<Map<String, Object>> front = new ArrayList<>();
        for (ArchiveMember m : onFront) {
            front.add(member(m, weightsOf(m)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("algo", "nachos");
        out.put("space", "mbv3");
        out.put("dataset", config.get("dataset"));
        out.put("macs_max", problem.macsMax());
        out.put("iterations", s.iteration());
        out.put("stopped_early", s.stopped());
        out.put("front", front);
        out.put("archive", members);
        out.put("history", s.history());
        return out;
    }

    /** The member's weights file relative to the run folder, training it again locally when it is missing. */
    private String weightsOf(ArchiveMember m) {
        TrialSpec spec = problem.trial(m.genes());
        Path file = weightsDir().resolve(spec.id() + ".ckpt");
        if (!Files.exists(file)) {
            log.println("training admissible member " + spec.id().substring(0, 12) + " again to keep its weights");
        }
        try {
            memberWeights.ensure(spec, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return WEIGHTS + "/" + file.getFileName();
    }

    private Map<String, Object> member(ArchiveMember m, String weights) {
        NachosGeneSpace.Decoded d = problem.nachos().decode(m.genes());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arch", Mbv3Json.write(d.arch()));
        out.put("exit_stages", java.util.Arrays.stream(d.exits().stages()).map(x -> x + 1).toArray());
        out.put("genes", m.genes());
        out.put("iteration", m.iteration());
        out.put("trial", m.trialId());
        out.putAll(m.metrics());
        int exits = (int) m.metric(NachosMetrics.EXITS);
        double[] thresholds = new double[exits - 1];
        for (int j = 0; j < exits - 1; j++) {
            thresholds[j] = m.metric(NachosMetrics.exit(j, "threshold"));
        }
        out.put("thresholds", thresholds);
        if (weights != null) {
            out.put("weights", weights);
            out.put("spec", TrialJson.write(problem.trial(m.genes())));
        }
        return out;
    }

    private void chart(SearchState s) {
        List<ArchiveMember> archive = s.archive();
        double[][] all = archive.stream().map(m -> new double[] {m.metric(NachosMetrics.MACS) / 1e6,
                m.metric(NachosMetrics.ERROR)}).toArray(double[][]::new);
        double[][] front = java.util.Arrays.stream(front(archive)).mapToObj(i -> all[i]).toArray(double[][]::new);
        try {
            ParetoChart.write(dir.file(PARETO), "NACHOS on " + config.getOrDefault("dataset", "?") + " (MACs <= "
                    + String.format(Locale.ROOT, "%.2fM", problem.macsMax() / 1e6) + ")", "expected MACs (M)",
                    "test error (%)", all, front);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.file(PARETO), e);
        }
    }
}
