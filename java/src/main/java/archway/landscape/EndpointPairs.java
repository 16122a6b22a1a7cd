package archway.landscape;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Reproducible choices of endpoint pairs for the path analysis. */
public final class EndpointPairs {
    /** Number of anchors in the {@link #paper} selection. */
    public static final int PAPER_ANCHORS = 4;
    /** Smallest distance in the {@link #paper} selection. */
    public static final int PAPER_MIN_DISTANCE = 3;

    /** Two benchmark indices. */
    public record Pair(int from, int to) {
    }

    private EndpointPairs() {
    }

    /** Description of {@link #paper} for help texts and reports. */
    public static final String PAPER_DESCRIPTION = "The A2M paper does not list its endpoint pairs, so Archway fixes its own: "
            + "the " + PAPER_ANCHORS + " most accurate architectures of band A are anchors; for each anchor and each distance d = "
            + PAPER_MIN_DISTANCE + "..6 the partner is the most accurate band-A architecture at Hamming distance exactly d "
            + "(ties: lower index). Unordered duplicates are dropped.";

    /** The fixed pairs of good (band A) architectures described in {@link #PAPER_DESCRIPTION}. */
    public static List<Pair> paper(Nb201Table table, Nb201Dataset dataset) {
        AccuracyBand a = AccuracyBand.paper(dataset, "A");
        int[] band = byAccuracy(table, dataset, a);
        List<Pair> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < Math.min(PAPER_ANCHORS, band.length); k++) {
            Nb201Arch anchor = table.arch(band[k]);
            for (int d = PAPER_MIN_DISTANCE; d <= Nb201Arch.NUM_EDGES; d++) {
                for (int j : band) { // in accuracy order, so the first hit is the best partner
                    if (anchor.distance(table.arch(j)) == d) {
                        long key = Math.min(band[k], j) * 100_000L + Math.max(band[k], j);
                        if (seen.add(key)) {
                            out.add(new Pair(band[k], j));
                        }
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** {@code n} pairs of distinct architectures of {@code band}, drawn uniformly with a seeded generator. */
    public static List<Pair> random(Nb201Table table, Nb201Dataset dataset, AccuracyBand band, int n, long seed) {
        int[] members = IntStream.range(0, table.size()).filter(i -> band.contains(table.accuracy(dataset, i))).toArray();
        if (members.length < 2) {
            throw new IllegalArgumentException("band " + band.label() + " holds " + members.length + " architecture(s) on "
                    + dataset.id() + "; need at least 2 for random pairs");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Pair> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = rng.nextInt(members.length);
            int j = rng.nextInt(members.length - 1);
            if (j >= i) {
                j++; // uniform over the others
            }
            out.add(new Pair(members[i], members[j]));
        }
        return out;
    }

    /** Indices of a band's architectures, most accurate first (ties: lower index). */
    static int[] byAccuracy(Nb201Table table, Nb201Dataset dataset, AccuracyBand band) {
        return IntStream.range(0, table.size()).filter(i -> band.contains(table.accuracy(dataset, i))).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -table.accuracy(dataset, i)).thenComparing(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }
}
