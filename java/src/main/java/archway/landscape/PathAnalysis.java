package archway.landscape;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.util.ArrayList;
import java.util.List;

/** Enumerates every shortest path between two architectures and measures accuracy along them. */
public final class PathAnalysis {
    private PathAnalysis() {
    }

    /** Barrier of one accuracy profile (endpoints first and last): (first + last) / 2 - min over all points. */
    public static double barrier(double[] profile) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : profile) {
            min = Math.min(min, v);
        }
        return (profile[0] + profile[profile.length - 1]) / 2 - min;
    }

    /** All orderings of {@code items}, lexicographic by position in the array ({@code items.length!} of them). */
    public static List<int[]> orderings(int[] items) {
        List<int[]> out = new ArrayList<>();
        permute(items.clone(), 0, out);
        return out;
    }

    private static void permute(int[] a, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        // Rotating a[k..i] (rather than swapping) keeps the suffix sorted, so the output is lexicographic.
        for (int i = k; i < a.length; i++) {
            int[] b = a.clone();
            int x = b[i];
            System.arraycopy(b, k, b, k + 1, i - k);
            b[k] = x;
            permute(b, k + 1, out);
        }
    }

    /** Analyses all shortest paths from {@code a} to {@code b}. */
    public static PathResult between(Nb201Table table, Nb201Dataset dataset, Nb201Arch a, Nb201Arch b) {
        int[] changed = java.util.stream.IntStream.range(0, Nb201Arch.NUM_EDGES).filter(e -> a.op(e) != b.op(e)).toArray();
        int d = changed.length;
        List<int[]> orders = orderings(changed);
        int steps = d + 1;
        double[] sum = new double[steps];
        double[] min = new double[steps], max = new double[steps];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        double accA = table.accuracy(dataset, a), accB = table.accuracy(dataset, b);
        double floor = Math.abs(accA - accB) / 2;
        double[] barriers = new double[orders.size()];
        int best = 0;
        long noDip = 0;
        int[][] indices = new int[orders.size()][steps];
        double[][] profiles = new double[orders.size()][steps];
        for (int p = 0; p < orders.size(); p++) {
            Nb201Arch cur = a;
            for (int k = 0; k < steps; k++) {
                if (k > 0) {
                    int e = orders.get(p)[k - 1];
                    cur = cur.withOp(e, b.op(e));
                }
                int idx = table.indexOf(cur);
                double v = table.accuracy(dataset, idx);
                indices[p][k] = idx;
                profiles[p][k] = v;
                sum[k] += v;
                min[k] = Math.min(min[k], v);
                max[k] = Math.max(max[k], v);
            }
            barriers[p] = barrier(profiles[p]);
            if (barriers[p] < barriers[best]) {
                best = p;
            }
            // Tolerance: the floor and the barrier are computed by different sums of the same numbers.
            if (barriers[p] <= floor + 1e-9) {
                noDip++;
            }
        }
        int n = orders.size();
        double[] mean = new double[steps], std = new double[steps];
        for (int k = 0; k < steps; k++) {
            mean[k] = sum[k] / n;
            // Second pass over the stored profiles: sum-of-squares minus mean^2 cancels badly at ~90%.
            double ss = 0;
            for (double[] prof : profiles) {
                double dev = prof[k] - mean[k];
                ss += dev * dev;
            }
            std[k] = Math.sqrt(ss / n);
        }
        double worst = Double.NEGATIVE_INFINITY, total = 0;
        for (double x : barriers) {
            worst = Math.max(worst, x);
            total += x;
        }
        return new PathResult(dataset, table.indexOf(a), a.toDigits(), table.indexOf(b), b.toDigits(), d, changed, n, accA, accB,
                mean, std, min, max, floor, barriers[best], total / n, worst, noDip, indices[best], profiles[best], barriers);
    }
}
