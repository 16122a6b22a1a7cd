package archway.landscape;

import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Flatness of accuracy bands: for each band, the distribution of the accuracies of the radius-r
 * neighbours of its architectures, next to the same over all 15,625 architectures.
 *
 * <p>The "all" row pools every (architecture, neighbour) pair; since each architecture is a neighbour
 * of exactly C(6,r)*4^r others, it equals the accuracy distribution of the whole table.
 *
 * @param dataset the accuracy column
 * @param radius Hamming radius of the neighbourhoods
 * @param neighbourhoodSize members of each neighbourhood, C(6,r)*4^r
 * @param bands one entry per band, in the order given
 * @param all the same over all architectures
 */
public record NeighbourAnalysis(Nb201Dataset dataset, int radius, long neighbourhoodSize, List<BandNeighbours> bands,
        BandNeighbours all) {

    /** Runs the analysis; histograms use 1-point bins spanning the dataset's accuracy range. */
    public static NeighbourAnalysis compute(Nb201Table table, Nb201Dataset dataset, int radius, List<AccuracyBand> bands) {
        if (radius < 1 || radius > Nb201Arch.NUM_EDGES) {
            throw new IllegalArgumentException("radius " + radius + " is not in 1..6");
        }
        double[] acc = table.accuraciesByCode(dataset);
        int n = acc.length;
        int groups = bands.size() + 1; // last group = all architectures
        long[][] weights = new long[groups][n];
        int[] members = new int[groups];
        double[] centreSum = new double[groups];
        double[] localStdSum = new double[groups];
        boolean[] in = new boolean[groups];
        int[] member = new int[groups];
        double[] sums = new double[2];
        long size = Neighbourhood.size(radius);
        for (int c = 0; c < n; c++) {
            int k = 0;
            for (int g = 0; g < groups; g++) {
                in[g] = g == groups - 1 || bands.get(g).contains(acc[c]);
                if (in[g]) {
                    member[k++] = g;
                }
            }
            // The groups of this centre, as a short array: the inner loop runs ~20 million times at radius 3.
            final int[] gs = java.util.Arrays.copyOf(member, k);
            sums[0] = 0;
            sums[1] = 0;
            final int centre = c;
            Neighbourhood.forEach(c, radius, nb -> {
                for (int g : gs) {
                    weights[g][nb]++;
                }
                double d = acc[nb] - acc[centre]; // shifted sums keep the variance numerically stable
                sums[0] += d;
                sums[1] += d * d;
            });
            double m = sums[0] / size;
            double localStd = Math.sqrt(Math.max(0, sums[1] / size - m * m));
            for (int g = 0; g < groups; g++) {
                if (in[g]) {
                    members[g]++;
                    centreSum[g] += acc[c];
                    localStdSum[g] += localStd;
                }
            }
        }
        AccuracySummary whole = AccuracySummary.of(acc);
        double lo = Math.floor(whole.min());
        double hi = Math.ceil(whole.max());
        if (hi <= lo) {
            hi = lo + 1;
        }
        int bins = (int) Math.round(hi - lo);
        List<BandNeighbours> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            boolean isAll = g == groups - 1;
            String name = isAll ? "all" : bands.get(g).name();
            double blo = isAll ? whole.min() : bands.get(g).lo();
            double bhi = isAll ? whole.max() : bands.get(g).hi();
            if (members[g] == 0) {
                out.add(new BandNeighbours(name, blo, bhi, 0, Double.NaN, null, Double.NaN, Histogram.of(acc, weights[g], lo, hi, bins)));
                continue;
            }
            out.add(new BandNeighbours(name, blo, bhi, members[g], centreSum[g] / members[g],
                    AccuracySummary.ofWeighted(acc, weights[g]), localStdSum[g] / members[g],
                    Histogram.of(acc, weights[g], lo, hi, bins)));
        }
        return new NeighbourAnalysis(dataset, radius, size, List.copyOf(out.subList(0, bands.size())), out.get(groups - 1));
    }
}
