package archway.cli;

import archway.UserError;
import archway.landscape.AccuracyBand;
import archway.landscape.EndpointPairs;
import archway.landscape.LandscapeCharts;
import archway.landscape.LandscapeJson;
import archway.landscape.PairSetResult;
import archway.landscape.PathAnalysis;
import archway.landscape.PathResult;
import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nas landscape paths}: accuracy along all shortest paths between architectures. */
@Command(name = "paths", header = "Accuracy barriers along the shortest paths between two architectures.",
        mixinStandardHelpOptions = true,
        description = {"Walk every shortest path (d! orderings of the d differing edges) between two architectures and "
                + "report the accuracy profile per step (mean/std/min/max over paths) and the barrier of each path: "
                + "(acc(a)+acc(b))/2 - min accuracy along the path, endpoints included. A barrier is never below "
                + "|acc(a)-acc(b)|/2 (the 'floor', reached by monotone paths); the excess is the dip below the weaker end.",
                "",
                "Exactly one mode:",
                "  --from A --to B                  one pair (index, six op digits or benchmark string)",
                "  --pairs paper                    fixed pairs of good architectures, see below",
                "  --random-pairs N --band A|B|C    N seeded random pairs inside one paper band",
                "",
                "--pairs paper: " + EndpointPairs.PAPER_DESCRIPTION,
                "",
                "With --out, writes JSON and a PNG of the profiles into DIR."})
final class LandscapePathsCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, paramLabel = "D", converter = Bench201DatasetConverter.class,
            completionCandidates = Bench201DatasetConverter.class, description = "cifar10, cifar100 or imagenet16-120.")
    Nb201Dataset dataset;

    @Option(names = "--from", paramLabel = "A", description = "Start architecture.")
    String from;

    @Option(names = "--to", paramLabel = "B", description = "End architecture.")
    String to;

    @Option(names = "--pairs", paramLabel = "paper", description = "Use the fixed 'paper' pair set.")
    String pairs;

    @Option(names = "--random-pairs", paramLabel = "N", description = "Number of random pairs inside --band.")
    Integer randomPairs;

    @Option(names = "--band", paramLabel = "A|B|C", description = "Paper band for --random-pairs.")
    String band;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for --random-pairs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write JSON and PNG into DIR.")
    Path out;

    @Mixin
    Bench201TableOption tableOption;

    @Override
    public Integer call() throws IOException {
        int modes = (from != null || to != null ? 1 : 0) + (pairs != null ? 1 : 0) + (randomPairs != null ? 1 : 0);
        if (modes != 1) {
            throw new UserError("choose exactly one of --from/--to, --pairs paper, --random-pairs N --band X");
        }
        if (band != null && randomPairs == null) {
            throw new UserError("--band only applies to --random-pairs");
        }
        if (from != null || to != null) {
            if (from == null || to == null) {
                throw new UserError("--from and --to go together");
            }
            return single();
        }
        Nb201Table t = tableOption.load();
        List<EndpointPairs.Pair> list;
        String selection;
        String stem;
        if (pairs != null) {
            if (!pairs.equalsIgnoreCase("paper")) {
                throw new UserError("--pairs: '" + pairs + "' is not a known pair set (known: paper)");
            }
            list = EndpointPairs.paper(t, dataset);
            selection = EndpointPairs.PAPER_DESCRIPTION;
            stem = "paths-paper-" + dataset.id();
        } else {
            if (randomPairs < 1 || randomPairs > 100_000) {
                throw new UserError("--random-pairs: " + randomPairs + " is not in 1..100000");
            }
            if (band == null) {
                throw new UserError("--random-pairs needs --band A|B|C");
            }
            AccuracyBand b;
            try {
                b = AccuracyBand.paper(dataset, band);
                list = EndpointPairs.random(t, dataset, b, randomPairs, seed);
            } catch (IllegalArgumentException e) {
                throw new UserError("--band: " + e.getMessage());
            }
            selection = randomPairs + " random pairs of distinct architectures in band " + b.label() + ", seed " + seed;
            stem = "paths-random-" + b.name() + "-" + dataset.id();
        }
        if (list.isEmpty()) {
            throw new UserError("no endpoint pairs found for " + dataset.id());
        }
        List<PathResult> results = list.stream()
                .map(p -> PathAnalysis.between(t, dataset, t.arch(p.from()), t.arch(p.to()))).toList();
        PairSetResult set = PairSetResult.of(dataset, selection, results);
        if (out != null) {
            LandscapeJson.write(out.resolve(stem + ".json"), set);
            if (pairs != null) {
                LandscapeCharts.pairProfiles(set, dataset.label() + ": paper pairs, mean accuracy along paths",
                        out.resolve(stem + ".png"));
            } else {
                LandscapeCharts.barrierHistograms(List.of(set), List.of("band " + band.toUpperCase()),
                        dataset.label() + " random pairs", out.resolve(stem + ".png"));
            }
        }
        if (json) {
            System.out.println(LandscapeJson.toJson(set));
            return 0;
        }
        System.out.println(dataset.label() + ": " + selection);
        System.out.printf("%6s %6s %2s %5s %7s %7s %6s %6s %6s %6s %8s%n", "from", "to", "d", "paths", "acc(a)", "acc(b)",
                "floor", "best", "mean", "worst", "no-dip");
        for (PathResult r : set.pairs()) {
            System.out.printf("%6d %6d %2d %5d %7.2f %7.2f %6.2f %6.2f %6.2f %6.2f %7.0f%%%n", r.fromIndex(), r.toIndex(),
                    r.distance(), r.pathCount(), r.fromAccuracy(), r.toAccuracy(), r.barrierFloor(), r.bestBarrier(),
                    r.meanBarrier(), r.worstBarrier(), 100.0 * r.noDipPaths() / r.pathCount());
        }
        System.out.printf("%d pairs, mean distance %.2f%n", set.pairs().size(), set.meanDistance());
        printSummary("best-path barrier", set.bestBarrier());
        printSummary("mean barrier", set.meanBarrier());
        printSummary("best-path dip", set.bestDip());
        if (out != null) {
            System.out.println("wrote " + out.resolve(stem + ".{json,png}"));
        }
        return 0;
    }

    private static void printSummary(String name, AccuracySummary s) {
        System.out.printf("  %-18s mean %.2f  std %.2f  min %.2f  median %.2f  p95 %.2f  max %.2f%n", name, s.mean(), s.std(),
                s.min(), s.median(), s.p95(), s.max());
    }

    private int single() throws IOException {
        Nb201Table t = tableOption.load();
        int a = Bench201Args.find(t, from, "--from");
        int b = Bench201Args.find(t, to, "--to");
        PathResult r = PathAnalysis.between(t, dataset, t.arch(a), t.arch(b));
        String stem = "path-" + dataset.id() + "-" + a + "-" + b;
        if (out != null) {
            LandscapeJson.write(out.resolve(stem + ".json"), r);
            LandscapeCharts.pathProfile(r, out.resolve(stem + ".png"));
        }
        if (json) {
            System.out.println(LandscapeJson.toJson(r));
            return 0;
        }
        System.out.printf("%s: %d (%s, %.2f%%) -> %d (%s, %.2f%%)%n", dataset.label(), a, r.from(), r.fromAccuracy(), b, r.to(),
                r.toAccuracy());
        System.out.printf("distance %d, changed edges %s, %d shortest paths%n", r.distance(), edges(r.changedEdges()), r.pathCount());
        System.out.printf("%4s %7s %6s %7s %7s %9s%n", "step", "mean", "std", "min", "max", "best path");
        for (int k = 0; k <= r.distance(); k++) {
            System.out.printf("%4d %7.2f %6.2f %7.2f %7.2f %9.2f  %s%n", k, r.stepMean()[k], r.stepStd()[k], r.stepMin()[k],
                    r.stepMax()[k], r.bestPathAccuracy()[k], t.arch(r.bestPath()[k]).toDigits());
        }
        System.out.printf("barrier: best %.2f, mean %.2f, worst %.2f (floor |acc(a)-acc(b)|/2 = %.2f; %d of %d paths never dip below it)%n",
                r.bestBarrier(), r.meanBarrier(), r.worstBarrier(), r.barrierFloor(), r.noDipPaths(), r.pathCount());
        if (out != null) {
            System.out.println("wrote " + out.resolve(stem + ".{json,png}"));
        }
        return 0;
    }

    private static String edges(int[] changed) {
        StringBuilder sb = new StringBuilder();
        for (int e : changed) {
            sb.append(sb.isEmpty() ? "" : " ").append(archway.nb201.Nb201Arch.EDGE_NAMES.get(e));
        }
        return sb.isEmpty() ? "(none)" : sb.toString();
    }
}
