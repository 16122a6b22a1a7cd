package archway.cli;

import archway.UserError;
import archway.nachos.NachosEvaluation;
import archway.run.RunDirectory;
import archway.trial.TrialJson;
import archway.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas eval}: evaluates the saved early-exit networks of a NACHOS run on the test split. */
@Command(name = "eval", header = "Evaluate a NACHOS run's Pareto members on the test split: exits, accuracy, MACs.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates members of a NACHOS run's admissible Pareto set (result.json) on the test split: "
                + "rebuilds each network, loads its trained weights, applies its thresholds and prints per exit the "
                + "samples leaving there, their accuracy and the exit's MACs (traced graph), then the top-1 and the "
                + "average MACs actually spent per image against the run's --macs-max.", "",
                "Example: nas eval --run runs/nachos-mbv3-... --member 0", ""})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "The run directory of a nas search --algo nachos.")
    Path run;
    @Option(names = "--member", description = "Index K into the admissible set as result.json lists it (default: all).")
    Integer member;

    @Override
    public Integer call() throws IOException {
        Path resultFile = run.resolve("result.json");
        if (!Files.isRegularFile(resultFile)) {
            throw new UserError("no result.json in " + run + " (is it a finished nas search --algo nachos run?)");
        }
        Map<?, ?> result;
        try {
            result = RunDirectory.JSON.readValue(resultFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new UserError("cannot read " + resultFile + ": " + e.getMessage(), e);
        }
        if (!"nachos".equals(result.get("algo"))) {
            throw new UserError(resultFile + " is not a NACHOS run (algo " + result.get("algo") + ")");
        }
        List<?> front = (List<?>) result.get("front");
        if (member != null && (member < 0 || member >= front.size())) {
            throw new UserError("--member must be in 0.." + (front.size() - 1) + " (the run's admissible set has "
                    + front.size() + " members), got " + member);
        }
        double macsMax = ((Number) result.get("macs_max")).doubleValue();
        int from = member == null ? 0 : member;
        int to = member == null ? front.size() : member + 1;
        int over = 0;
        for (int k = from; k < to; k++) {
            Map<?, ?> m = (Map<?, ?>) front.get(k);
            TrialSpec spec = TrialJson.readSpec((String) m.get("spec"));
            double[] thresholds = ((List<?>) m.get("thresholds")).stream().mapToDouble(v -> ((Number) v).doubleValue())
                    .toArray();
            NachosEvaluation.Report r = NachosEvaluation.evaluate(spec, thresholds, run.resolve((String) m.get("weights")));
            print(k, m, r, macsMax);
            over += r.averageMacs() > macsMax ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%d of %d evaluated members within --macs-max %,.0f%n", to - from - over,
                to - from, macsMax);
        return 0;
    }

    private static void print(int k, Map<?, ?> m, NachosEvaluation.Report r, double macsMax) {
        System.out.printf(Locale.ROOT, "member %d  %s  exits after stages %s%n", k, m.get("arch"), m.get("exit_stages"));
        System.out.println("  exit  stage  pool  threshold  samples  share    top-1   MACs (traced)");
        for (int j = 0; j < r.stages().length; j++) {
            boolean last = j == r.stages().length - 1;
            System.out.printf(Locale.ROOT, "  %4d  %5d  %4d  %9s  %7d  %5.1f%%  %6s  %,13d%n", j, r.stages()[j], r.pools()[j],
                    last ? "-" : String.format(Locale.ROOT, "%.1f", r.thresholds()[j]), r.taken()[j],
                    100.0 * r.taken()[j] / r.samples(),
                    r.taken()[j] == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100.0 * r.right()[j] / r.taken()[j]),
                    r.tracedMacs()[j]);
        }
        System.out.printf(Locale.ROOT, "  top-1 %.2f%% (search said %.2f%%); average MACs spent %,.0f per image (search "
                        + "said %,.0f; full network %,d; budget %,.0f: %s)%n", 100 * r.top1(),
                100 - ((Number) m.get("error")).doubleValue(), r.averageMacs(), ((Number) m.get("macs_expected")).doubleValue(),
                r.tracedMacs()[r.tracedMacs().length - 1], macsMax, r.averageMacs() <= macsMax ? "within" : "OVER");
        System.out.printf(Locale.ROOT, "  the same backbone without exits: top-1 %.2f%% at %,d MACs%n",
                100 * r.backboneTop1(), r.tracedMacs()[r.tracedMacs().length - 1]);
    }
}
