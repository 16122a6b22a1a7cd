package archway.cli;

import archway.UserError;
import archway.landscape.AccuracyBand;
import archway.landscape.BandNeighbours;
import archway.landscape.Histogram;
import archway.landscape.LandscapeCharts;
import archway.landscape.LandscapeJson;
import archway.landscape.NeighbourAnalysis;
import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nas landscape neighbours}: neighbour-accuracy distributions per accuracy band. */
@Command(name = "neighbours", header = "Accuracies of the neighbours of accurate and poor architectures.",
        mixinStandardHelpOptions = true,
        description = {"For every architecture in each accuracy band, collect the accuracies of all architectures at "
                + "Hamming distance exactly R (C(6,R)*4^R of them: 24, 240, 1280) and summarise them per band: "
                + "mean, std, mean within-neighbourhood std, quantiles, histogram; the same over all 15,625 architectures. "
                + "With --out, writes neighbours-<dataset>-r<R>.json and .png there."})
final class LandscapeNeighboursCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, paramLabel = "D", converter = Bench201DatasetConverter.class,
            completionCandidates = Bench201DatasetConverter.class, description = "cifar10, cifar100 or imagenet16-120.")
    Nb201Dataset dataset;

    @Option(names = "--radius", defaultValue = "1", paramLabel = "R", description = "Hamming radius 1, 2 or 3 (default ${DEFAULT-VALUE}).")
    int radius;

    @Option(names = "--bands", defaultValue = "paper", paramLabel = "SPEC",
            description = {"'paper' (bands A, B, C of docs/specs/landscape.md) or LO:HI,... in percent, "
                    + "bounds included, named A, B, C, ... (default ${DEFAULT-VALUE})."})
    String bands;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write JSON and a PNG of the histograms into DIR.")
    Path out;

    @Mixin
    Bench201TableOption tableOption;

    @Override
    public Integer call() throws IOException {
        if (radius < 1 || radius > 3) {
            throw new UserError("--radius: " + radius + " is not 1, 2 or 3");
        }
        List<AccuracyBand> bandList;
        try {
            bandList = AccuracyBand.parseList(bands, dataset);
        } catch (IllegalArgumentException e) {
            throw new UserError("--bands: " + e.getMessage());
        }
        Nb201Table t = tableOption.load();
        NeighbourAnalysis an = NeighbourAnalysis.compute(t, dataset, radius, bandList);
        if (out != null) {
            String stem = "neighbours-" + dataset.id() + "-r" + radius;
            LandscapeJson.write(out.resolve(stem + ".json"), an);
            LandscapeCharts.neighbourHistograms(List.of(an), out.resolve(stem + ".png"));
        }
        if (json) {
            System.out.println(LandscapeJson.toJson(an));
        } else {
            print(an);
            if (out != null) {
                System.out.println("wrote " + out.resolve("neighbours-" + dataset.id() + "-r" + radius + ".{json,png}"));
            }
        }
        return 0;
    }

    static void print(NeighbourAnalysis an) {
        System.out.printf("%s, radius %d: %d neighbours per architecture%n", an.dataset().label(), an.radius(), an.neighbourhoodSize());
        System.out.printf("%-4s %-14s %6s %7s | %7s %6s %8s %6s %6s %6s %6s %6s%n", "band", "range", "archs", "centre",
                "nb mean", "nb std", "local sd", "p05", "p25", "median", "p75", "p95");
        List<BandNeighbours> rows = new ArrayList<>(an.bands());
        rows.add(an.all());
        for (BandNeighbours b : rows) {
            String range = String.format("[%.1f,%.1f]", b.lo(), b.hi());
            if (b.architectures() == 0) {
                System.out.printf("%-4s %-14s %6d   (no architectures in this band)%n", b.band(), range, 0);
                continue;
            }
            AccuracySummary s = b.neighbours();
            System.out.printf("%-4s %-14s %6d %7.2f | %7.2f %6.2f %8.2f %6.2f %6.2f %6.2f %6.2f %6.2f%n", b.band(), range,
                    b.architectures(), b.centreMean(), s.mean(), s.std(), b.meanLocalStd(), s.p05(), s.p25(), s.median(),
                    s.p75(), s.p95());
        }
        System.out.println();
        System.out.println("histogram of neighbour accuracy (share of neighbours per 10-point bin):");
        Histogram h0 = an.all().histogram();
        double start = Math.floor(h0.lo() / 10) * 10;
        StringBuilder head = new StringBuilder(String.format("%-5s", ""));
        for (double x = start; x < h0.hi(); x += 10) {
            head.append(String.format(" %7s", String.format("%d-%d", (int) x, (int) x + 10)));
        }
        System.out.println(head);
        for (BandNeighbours b : rows) {
            StringBuilder line = new StringBuilder(String.format("%-5s", b.band()));
            double[] f = b.histogram().fractions();
            for (double x = start; x < h0.hi(); x += 10) {
                double share = 0;
                for (int i = 0; i < f.length; i++) {
                    double binLo = h0.lo() + i * h0.binWidth();
                    if (binLo >= x && binLo < x + 10) {
                        share += f[i];
                    }
                }
                line.append(String.format(" %6.1f%%", 100 * share));
            }
            System.out.println(line);
        }
    }
}
