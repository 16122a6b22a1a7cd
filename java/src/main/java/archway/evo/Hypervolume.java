package archway.evo;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Hypervolume of a set of objective vectors (all minimised) against a reference point: the measure of the
 * region they dominate that is itself dominated by the reference point. Points not strictly better than the
 * reference in every objective contribute nothing. Exact, by slicing along the last objective (HSO); the cost
 * grows as n^(m-1), fine for the two or three objectives and the archive sizes of our searches. (Ours because
 * jMetal 6.6's PISA implementation returns 0 for two-objective fronts.)
 */
public final class Hypervolume {
    private Hypervolume() {
    }

    public static double of(double[][] points, double[] reference) {
        double[][] inside = Arrays.stream(points).filter(p -> dominatesReference(p, reference)).toArray(double[][]::new);
        return volume(inside, reference, reference.length);
    }

    /** Volume dominated by {@code points} (first {@code dims} objectives) inside the reference box. */
    private static double volume(double[][] points, double[] reference, int dims) {
        if (points.length == 0) {
            return 0;
        }
        int last = dims - 1;
        if (dims == 1) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] p : points) {
                best = Math.min(best, p[0]);
            }
            return reference[0] - best;
        }
        double[][] sorted = points.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(p -> p[last]));
        double total = 0;
        for (int i = 0; i < sorted.length; i++) {
            double top = i + 1 < sorted.length ? sorted[i + 1][last] : reference[last];
            double thickness = top - sorted[i][last];
            if (thickness > 0) {
                total += thickness * volume(Arrays.copyOf(sorted, i + 1), reference, last);
            }
        }
        return total;
    }

    private static boolean dominatesReference(double[] p, double[] reference) {
        if (p.length != reference.length) {
            throw new IllegalArgumentException("point has " + p.length + " objectives, reference " + reference.length);
        }
        for (int m = 0; m < p.length; m++) {
            if (!(p[m] < reference[m])) {
                return false;
            }
        }
        return true;
    }
}
