package archway.landscape;

import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The full landscape study for the three datasets: neighbourhoods at radius 1..3 over the paper bands,
 * paths between the fixed "paper" pairs, and seeded random pairs inside each band; written as JSON and
 * PNG per dataset plus a Markdown summary (README.md) that states, with the numbers, whether the flatness
 * claims of specs/landscape.md hold on this table.
 */
public final class LandscapeReport {
    /** Radii of the neighbourhood study. */
    public static final int[] RADII = {1, 2, 3};
    /** A best path whose barrier exceeds its floor by less than this (accuracy points) counts as barrier-free. */
    public static final double DIP_TOLERANCE = 0.01;

    private final Nb201Table table;
    private final int randomPairs;
    private final long seed;
    private final String command;

    /**
     * @param table the NB201 table
     * @param randomPairs random pairs drawn per band and dataset
     * @param seed seed of the random pairs
     * @param command the command line that produced the report, recorded in README.md
     */
    public LandscapeReport(Nb201Table table, int randomPairs, long seed, String command) {
        if (randomPairs < 1) {
            throw new IllegalArgumentException("randomPairs must be >= 1");
        }
        this.table = table;
        this.randomPairs = randomPairs;
        this.seed = seed;
        this.command = command;
    }

    /** Everything computed for one dataset. */
    record DatasetStudy(Nb201Dataset dataset, List<NeighbourAnalysis> neighbours, PairSetResult paperPairs,
            Map<String, PairSetResult> randomPairs, AccuracySummary table) {
    }

    /** Computes everything, writes the files into {@code out}, and returns the Markdown summary. */
    public String write(Path out) throws IOException {
        List<DatasetStudy> studies = new ArrayList<>();
        for (Nb201Dataset d : Nb201Dataset.values()) {
            DatasetStudy s = study(d);
            studies.add(s);
            String id = d.id();
            LandscapeJson.write(out.resolve("neighbours-" + id + ".json"), s.neighbours());
            LandscapeCharts.neighbourHistograms(s.neighbours(), out.resolve("neighbours-" + id + ".png"));
            LandscapeJson.write(out.resolve("paths-paper-" + id + ".json"), s.paperPairs());
            LandscapeCharts.pairProfiles(s.paperPairs(), d.label() + ": paper pairs, mean accuracy along paths",
                    out.resolve("paths-paper-" + id + ".png"));
            PathResult example = widest(s.paperPairs());
            PathResult full = PathAnalysis.between(table, d, table.arch(example.fromIndex()), table.arch(example.toIndex()));
            LandscapeJson.write(out.resolve("path-example-" + id + ".json"), full);
            LandscapeCharts.pathProfile(full, out.resolve("path-example-" + id + ".png"));
            LandscapeJson.write(out.resolve("paths-random-" + id + ".json"), s.randomPairs());
            LandscapeCharts.barrierHistograms(List.copyOf(s.randomPairs().values()),
                    s.randomPairs().keySet().stream().map(k -> "band " + k).toList(),
                    d.label() + ", " + randomPairs + " random pairs per band", out.resolve("barriers-random-" + id + ".png"));
        }
        Map<String, Object> verdicts = new LinkedHashMap<>();
        String md = markdown(studies, verdicts);
        LandscapeJson.write(out.resolve("summary.json"), verdicts);
        LandscapeJson.writeText(out.resolve("README.md"), md);
        return md;
    }

    private DatasetStudy study(Nb201Dataset d) {
        List<AccuracyBand> bands = AccuracyBand.paper(d);
        List<NeighbourAnalysis> nb = new ArrayList<>();
        for (int r : RADII) {
            nb.add(NeighbourAnalysis.compute(table, d, r, bands));
        }
        List<PathResult> paper = EndpointPairs.paper(table, d).stream()
                .map(p -> PathAnalysis.between(table, d, table.arch(p.from()), table.arch(p.to()))).toList();
        Map<String, PairSetResult> random = new LinkedHashMap<>();
        for (AccuracyBand b : bands) {
            List<PathResult> rs = EndpointPairs.random(table, d, b, randomPairs, seed).stream()
                    .map(p -> PathAnalysis.between(table, d, table.arch(p.from()), table.arch(p.to()))).toList();
            random.put(b.name(), PairSetResult.of(d, randomPairs + " random pairs in band " + b.label() + ", seed " + seed, rs));
        }
        return new DatasetStudy(d, nb, PairSetResult.of(d, EndpointPairs.PAPER_DESCRIPTION, paper), random, table.summary(d));
    }

    private static PathResult widest(PairSetResult set) {
        PathResult w = set.pairs().get(0);
        for (PathResult r : set.pairs()) {
            if (r.distance() > w.distance()) {
                w = r;
            }
        }
        return w;
    }

    private String markdown(List<DatasetStudy> studies, Map<String, Object> verdicts) {
        StringBuilder md = new StringBuilder();
        md.append("# NAS-Bench-201 landscape: do accurate architectures sit in flat regions?\n\n");
        md.append("Generated by `").append(command).append("` from `data/nb201/nats_bench.csv` (NATS-Bench topology space, ")
                .append("test accuracy after 200 epochs; provenance in `data/nb201/SOURCE.txt`). Definitions: `specs/landscape.md`; ")
                .append("distance = Hamming distance over the 6 edge ops; radius-r neighbourhood = all architectures at distance exactly r ")
                .append("(24, 240, 1280). Random pairs: ").append(randomPairs).append(" per band, seed ").append(seed).append(".\n\n");

        md.append("## Verdicts\n\n");
        md.append("A claim *holds* on a dataset when the stated ordering holds at every radius 1, 2 and 3 (for the neighbour claims) ")
                .append("or over the random pairs of each band (for the barrier claims). The numbers are radius 1 / 2 / 3.\n\n");
        md.append("| claim | ").append(String.join(" | ", studies.stream().map(s -> s.dataset().label()).toList())).append(" |\n");
        md.append("|---|---|---|---|\n");
        claimRow(md, verdicts, studies, "neighbour mean: A > B > C (accurate architectures have better neighbours)", "neighbourMean",
                b -> b.neighbours().mean(), true);
        claimRow(md, verdicts, studies, "pooled neighbour std: A < B < C (lower spread around accurate architectures)", "pooledStd",
                b -> b.neighbours().std(), false);
        claimRow(md, verdicts, studies, "within-neighbourhood std: A < B < C (each accurate architecture's own neighbourhood is flatter)",
                "localStd", BandNeighbours::meanLocalStd, false);
        barrierRow(md, verdicts, studies);
        md.append('\n');
        md.append(conclusion(verdicts, studies)).append("\n\n");
        md.append("How to read these numbers:\n\n");
        md.append("- Part of the neighbour-mean ordering is regression to the mean: a band's neighbours drift towards the table's ")
                .append("average (the `shift` column below), so A's neighbours are worse than A and C's are better than C. The spread ")
                .append("rows are the sharper test: A's neighbourhoods are several times tighter than C's at radius 1.\n");
        md.append("- Inside a band 1.4 points wide, the best-path barrier is mostly its floor |acc(a)-acc(b)|/2 <= 0.7: among up to ")
                .append("720 orderings there is usually one that never dips below the weaker endpoint, in poor bands as often as in good ones ")
                .append("(last verdict row). ")
                .append("The mean barrier over all shortest paths is the measure that separates good from poor regions.\n");
        md.append("- The paper bands are those of specs/landscape.md; CIFAR-10 band A stops at 93.7 while the best architecture ")
                .append("reaches 94.37, so the paper-pair anchors sit at the band's upper edge.\n\n");

        md.append("## Neighbourhoods\n\n");
        md.append("`centre` = mean accuracy of the band's own architectures; `nb mean`/`nb std` = pooled over all (architecture, neighbour) pairs; ")
                .append("`local sd` = mean over the band of each architecture's within-neighbourhood std; `shift` = nb mean - centre. ")
                .append("The `all` row pools every architecture; since each one is a neighbour of exactly C(6,r)*4^r others, it is the ")
                .append("accuracy distribution of the whole table at every radius.\n\n");
        for (DatasetStudy s : studies) {
            String id = s.dataset().id();
            md.append("### ").append(s.dataset().label()).append("\n\n");
            md.append("| r | band | archs | centre | nb mean | nb std | local sd | shift | p05 | median | p95 |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (NeighbourAnalysis an : s.neighbours()) {
                List<BandNeighbours> rows = new ArrayList<>(an.bands());
                rows.add(an.all());
                for (BandNeighbours b : rows) {
                    md.append(String.format("| %d | %s | %d | %.2f | %.2f | %.2f | %.2f | %+.2f | %.2f | %.2f | %.2f |%n", an.radius(),
                            b.band().equals("all") ? "all" : b.band() + " [" + b.lo() + ", " + b.hi() + "]", b.architectures(),
                            b.centreMean(), b.neighbours().mean(), b.neighbours().std(), b.meanLocalStd(), b.meanShift(),
                            b.neighbours().p05(), b.neighbours().median(), b.neighbours().p95()));
                }
            }
            md.append("\n![neighbour histograms ").append(id).append("](neighbours-").append(id).append(".png)\n\n");
        }

        md.append("## Paths between architectures\n\n");
        md.append("Barrier of a path = (acc(a) + acc(b))/2 - min accuracy along it (endpoints included). It can never be below the ")
                .append("*floor* |acc(a) - acc(b)|/2, which a monotone path attains; *dip* = barrier - floor, i.e. how far the path falls ")
                .append("below the weaker endpoint. `best` = the path with the smallest barrier; `mean` = averaged over all d! paths; ")
                .append("`no-dip` = share of paths that never go below the weaker endpoint.\n\n");
        md.append("**Paper pairs.** ").append(EndpointPairs.PAPER_DESCRIPTION).append("\n\n");
        for (DatasetStudy s : studies) {
            String id = s.dataset().id();
            md.append("### ").append(s.dataset().label()).append("\n\n");
            md.append("| from | to | d | paths | acc(a) | acc(b) | floor | best | mean | worst | no-dip |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (PathResult r : s.paperPairs().pairs()) {
                md.append(String.format("| %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f%% |%n", r.fromIndex(),
                        r.toIndex(), r.distance(), r.pathCount(), r.fromAccuracy(), r.toAccuracy(), r.barrierFloor(), r.bestBarrier(),
                        r.meanBarrier(), r.worstBarrier(), 100.0 * r.noDipPaths() / r.pathCount()));
            }
            md.append("\nRandom pairs inside each paper band (medians over the pairs):\n\n");
            md.append("| band | pairs | mean d | best barrier (median) | mean barrier (median) | best dip (median) | mean barrier p95 |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, PairSetResult> e : s.randomPairs().entrySet()) {
                PairSetResult p = e.getValue();
                md.append(String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", e.getKey(), p.pairs().size(), p.meanDistance(),
                        p.bestBarrier().median(), p.meanBarrier().median(), p.bestDip().median(), p.meanBarrier().p95()));
            }
            md.append(String.format("%nFor scale: the accuracy std over all 15,625 architectures is %.2f points.%n%n", s.table().std()));
            md.append("![paper pair profiles ").append(id).append("](paths-paper-").append(id).append(".png)\n");
            md.append("![example path ").append(id).append("](path-example-").append(id).append(".png)\n");
            md.append("![random pair barriers ").append(id).append("](barriers-random-").append(id).append(".png)\n\n");
        }
        md.append("## Files\n\n");
        md.append("- `neighbours-<dataset>.json|png`: the neighbourhood analysis at radius 1, 2, 3 (histogram counts in 1-point bins).\n");
        md.append("- `paths-paper-<dataset>.json|png`: paper pairs, per pair the step profile and barriers.\n");
        md.append("- `path-example-<dataset>.json|png`: the widest paper pair with the barrier of every path.\n");
        md.append("- `paths-random-<dataset>.json`, `barriers-random-<dataset>.png`: random pairs per band.\n");
        md.append("- `summary.json`: the verdicts and the numbers behind them.\n");
        return md.toString();
    }

    private static void claimRow(StringBuilder md, Map<String, Object> verdicts, List<DatasetStudy> studies, String claim, String key,
            ToDoubleFunction<BandNeighbours> f, boolean decreasing) {
        md.append("| ").append(claim).append(" |");
        Map<String, Object> perDataset = new LinkedHashMap<>();
        for (DatasetStudy s : studies) {
            boolean all = true;
            List<String> cells = new ArrayList<>();
            Map<String, Object> perRadius = new LinkedHashMap<>();
            for (NeighbourAnalysis an : s.neighbours()) {
                double[] v = an.bands().stream().mapToDouble(f).toArray();
                boolean ok = ordered(v, decreasing);
                all &= ok;
                StringBuilder c = new StringBuilder();
                for (int i = 0; i < v.length; i++) {
                    c.append(i == 0 ? "" : decreasing ? " > " : " < ").append(String.format("%.2f", v[i]));
                }
                if (!ok) {
                    c.append(" ✗");
                }
                cells.add(c.toString());
                perRadius.put("r" + an.radius(), map("values", v, "holds", ok));
            }
            perRadius.put("holds", all);
            perDataset.put(s.dataset().id(), perRadius);
            md.append(" **").append(all ? "holds" : "does not hold").append("**<br>").append(String.join("<br>", cells)).append(" |");
        }
        verdicts.put(key, perDataset);
        md.append('\n');
    }

    private static void barrierRow(StringBuilder md, Map<String, Object> verdicts, List<DatasetStudy> studies) {
        md.append("| barriers between good architectures are low: median (over random pairs) of the mean barrier over all ")
                .append("shortest paths is lower for band-A pairs than for band-B and band-C pairs |");
        Map<String, Object> perDataset = new LinkedHashMap<>();
        for (DatasetStudy s : studies) {
            double[] mean = s.randomPairs().values().stream().mapToDouble(p -> p.meanBarrier().median()).toArray();
            double[] best = s.randomPairs().values().stream().mapToDouble(p -> p.bestBarrier().median()).toArray();
            boolean ok = mean[0] < mean[1] && mean[0] < mean[2];
            double paperBest = s.paperPairs().bestBarrier().median();
            double paperMean = s.paperPairs().meanBarrier().median();
            perDataset.put(s.dataset().id(), map("randomMeanBarrierMedianABC", mean, "randomBestBarrierMedianABC", best,
                    "paperPairsMeanBarrierMedian", paperMean, "paperPairsBestBarrierMedian", paperBest,
                    "tableAccuracyStd", s.table().std(), "holds", ok));
            md.append(String.format(" **%s**<br>mean barrier A/B/C: %.2f / %.2f / %.2f<br>paper pairs: %.2f<br>(accuracy std of the table: %.2f) |",
                    ok ? "holds" : "does not hold", mean[0], mean[1], mean[2], paperMean, s.table().std()));
        }
        verdicts.put("lowBarriers", perDataset);
        md.append('\n');

        md.append("| a barrier-free shortest path exists between good architectures: best path never dips below the weaker ")
                .append("endpoint (dip < ").append(DIP_TOLERANCE).append(") for at least 90% of random band-A pairs |");
        perDataset = new LinkedHashMap<>();
        for (DatasetStudy s : studies) {
            double[] share = s.randomPairs().values().stream()
                    .mapToDouble(p -> p.pairs().stream().filter(r -> r.bestBarrier() - r.barrierFloor() < DIP_TOLERANCE).count()
                            / (double) p.pairs().size()).toArray();
            double[] best = s.randomPairs().values().stream().mapToDouble(p -> p.bestBarrier().median()).toArray();
            boolean ok = share[0] >= 0.9;
            perDataset.put(s.dataset().id(), map("noDipShareABC", share, "randomBestBarrierMedianABC", best, "holds", ok));
            md.append(String.format(" **%s**<br>share A/B/C: %.0f%% / %.0f%% / %.0f%%<br>best barrier A/B/C: %.2f / %.2f / %.2f |",
                    ok ? "holds" : "does not hold", 100 * share[0], 100 * share[1], 100 * share[2], best[0], best[1], best[2]));
        }
        verdicts.put("barrierFreePath", perDataset);
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private static String conclusion(Map<String, Object> verdicts, List<DatasetStudy> studies) {
        StringBuilder sb = new StringBuilder("**In short:** ");
        List<String> parts = new ArrayList<>();
        for (String key : List.of("neighbourMean", "pooledStd", "localStd", "lowBarriers", "barrierFreePath")) {
            Map<String, Object> per = (Map<String, Object>) verdicts.get(key);
            List<String> holds = new ArrayList<>();
            for (DatasetStudy s : studies) {
                Map<String, Object> v = (Map<String, Object>) per.get(s.dataset().id());
                if (Boolean.TRUE.equals(v.get("holds"))) {
                    holds.add(s.dataset().label());
                }
            }
            String name = switch (key) {
                case "neighbourMean" -> "higher neighbour mean for accurate architectures";
                case "pooledStd" -> "lower pooled neighbour spread";
                case "localStd" -> "flatter individual neighbourhoods";
                case "lowBarriers" -> "lower (mean) barriers between accurate architectures";
                default -> "a barrier-free shortest path between most pairs of accurate architectures";
            };
            parts.add(name + " holds on " + (holds.isEmpty() ? "no dataset" : holds.size() == studies.size() ? "all three datasets"
                    : String.join(" and ", holds) + " only"));
        }
        sb.append(String.join("; ", parts)).append('.');
        return sb.toString();
    }

    /** An insertion-ordered map from alternating keys and values, so summary.json is byte-for-byte reproducible. */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static boolean ordered(double[] v, boolean decreasing) {
        for (int i = 1; i < v.length; i++) {
            if (decreasing ? !(v[i - 1] > v[i]) : !(v[i - 1] < v[i])) {
                return false;
            }
        }
        return true;
    }
}
