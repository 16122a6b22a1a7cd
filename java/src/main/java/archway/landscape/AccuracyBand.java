package archway.landscape;

import archway.nb201.Nb201Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed range of test accuracy (percent), {@code lo <= acc <= hi}, that selects the architectures
 * whose neighbourhoods are compared. The paper bands (A accurate, B middling, C poor) are those of
 * specs/landscape.md, each 1.4 points wide.
 */
public record AccuracyBand(String name, double lo, double hi) {
    public AccuracyBand {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("band " + name + ": lower bound " + lo + " is above upper bound " + hi);
        }
    }

    /** Whether an accuracy lies in the band (bounds included). */
    public boolean contains(double accuracy) {
        return accuracy >= lo && accuracy <= hi;
    }

    /** "A [92.3, 93.7]". */
    public String label() {
        return name + " [" + fmt(lo) + ", " + fmt(hi) + "]";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The three paper bands A, B, C for a dataset. */
    public static List<AccuracyBand> paper(Nb201Dataset dataset) {
        return switch (dataset) {
            case CIFAR10 -> List.of(new AccuracyBand("A", 92.3, 93.7), new AccuracyBand("B", 84.3, 85.7),
                    new AccuracyBand("C", 74.3, 75.7));
            case CIFAR100 -> List.of(new AccuracyBand("A", 69.3, 70.7), new AccuracyBand("B", 64.3, 65.7),
                    new AccuracyBand("C", 54.3, 55.7));
            case IMAGENET16_120 -> List.of(new AccuracyBand("A", 45.9, 47.3), new AccuracyBand("B", 34.3, 35.7),
                    new AccuracyBand("C", 24.3, 25.7));
        };
    }

    /** The paper band with the given name (A, B or C) for a dataset. */
    public static AccuracyBand paper(Nb201Dataset dataset, String name) {
        for (AccuracyBand b : paper(dataset)) {
            if (b.name.equalsIgnoreCase(name.strip())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown band '" + name + "' (paper bands are A, B, C)");
    }

    /**
     * Parses {@code paper} or a comma-separated list {@code LO:HI,...}; custom bands are named A, B, C, ...
     * in the order given.
     */
    public static List<AccuracyBand> parseList(String spec, Nb201Dataset dataset) {
        String s = spec.strip();
        if (s.equalsIgnoreCase("paper")) {
            return paper(dataset);
        }
        List<AccuracyBand> bands = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String[] lohi = part.strip().split(":", -1);
            if (lohi.length != 2) {
                throw new IllegalArgumentException("bad band '" + part + "': expected LO:HI, e.g. 92.3:93.7");
            }
            double lo, hi;
            try {
                lo = Double.parseDouble(lohi[0].strip());
                hi = Double.parseDouble(lohi[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad band '" + part + "': bounds must be numbers (percent), e.g. 92.3:93.7");
            }
            if (bands.size() >= 26) {
                throw new IllegalArgumentException("at most 26 bands");
            }
            bands.add(new AccuracyBand(String.valueOf((char) ('A' + bands.size())), lo, hi));
        }
        return List.copyOf(bands);
    }
}
