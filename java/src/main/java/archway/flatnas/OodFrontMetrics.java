package archway.flatnas;

import archway.evo.ArchiveMember;
import archway.trial.TrialResult;
import archway.trial.TrialRunner;
import archway.trial.TrialSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The corruption benchmark (mean corruption error, per corruption and overall) for the members of the final front.
 * A member whose trial measured it already (a search run with the benchmark in every trial) needs nothing more;
 * the others get one more trial each, the member's own trial with the benchmark switched on: the candidate is
 * trained again (deterministically, to the same weights) and then measured on the corrupted test images. These
 * trials go through the search's runner, so they run on the cluster when the search does, and land in its
 * trials.jsonl, so a resumed run does not repeat them.
 */
public final class OodFrontMetrics implements FlatnasRun.FrontMetrics {
    private final FlatnasProblem problem;
    private final PrintStream log;

    public OodFrontMetrics(FlatnasProblem problem, PrintStream log) {
        this.problem = problem;
        this.log = log;
    }

    @Override
    public List<Map<String, Double>> measure(List<ArchiveMember> front, TrialRunner runner) {
        List<TrialSpec> specs = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < front.size(); i++) {
            if (!front.get(i).metrics().containsKey(FlatnasMetrics.MCE)) {
                specs.add(problem.trial(front.get(i).genes(), Map.of(FlatnasTrialSettings.OOD, "true")));
                missing.add(i);
            }
        }
        List<Map<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < front.size(); i++) {
            out.add(Map.of());
        }
        if (specs.isEmpty()) {
            return out;
        }
        log.printf("corruption benchmark for %d front member(s)%n", specs.size());
        List<TrialResult> results = runner.runAll(specs);
        for (int j = 0; j < results.size(); j++) {
            TrialResult r = results.get(j);
            if (!r.ok()) {
                log.println("corruption benchmark of trial " + r.id() + " failed: " + r.error());
                continue;
            }
            Map<String, Double> ood = new LinkedHashMap<>();
            r.metrics().forEach((k, v) -> {
                if (k.equals(FlatnasMetrics.MCE) || k.startsWith(FlatnasMetrics.MCE_PREFIX)
                        || k.equals(FlatnasMetrics.OOD_CLEAN_ERROR)) {
                    ood.put(k, v);
                }
            });
            out.set(missing.get(j), ood);
        }
        return out;
    }
}
