package archway.evo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random forest of CART regression trees: each tree grown on a bootstrap sample, each split chosen among a
 * random third of the features by the largest drop in squared error; the prediction is the mean over trees.
 * Small and ours because the well-kept JVM forests are GPL (Smile, Weka) or come with a large framework.
 */
public final class RandomForestSurrogate implements Surrogate {
    /** The factory the picker uses: 64 trees, depth 12, at least 2 samples per leaf. */
    public static final Kind KIND = new Kind() {
        @Override
        public String name() {
            return "forest";
        }

        @Override
        public Surrogate fit(double[][] x, double[] y, long seed) {
            return RandomForestSurrogate.fit(x, y, 64, 12, 2, seed);
        }
    };

    /** One node: a leaf when {@code feature < 0}. */
    private record Node(int feature, double threshold, double value, Node left, Node right) {
        double predict(double[] x) {
            Node n = this;
            while (n.feature >= 0) {
                n = x[n.feature] <= n.threshold ? n.left : n.right;
            }
            return n.value;
        }
    }

    private final List<Node> trees;

    private RandomForestSurrogate(List<Node> trees) {
        this.trees = trees;
    }

    public static RandomForestSurrogate fit(double[][] x, double[] y, int treeCount, int maxDepth, int minLeaf, long seed) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need matching, non-empty samples: " + x.length + " vs " + y.length);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int features = x[0].length;
        int tried = Math.max(1, features / 3);
        List<Node> trees = new ArrayList<>(treeCount);
        for (int t = 0; t < treeCount; t++) {
            int[] sample = new int[x.length];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = rng.nextInt(x.length);
            }
            trees.add(grow(x, y, sample, maxDepth, minLeaf, tried, rng));
        }
        return new RandomForestSurrogate(trees);
    }

    @Override
    public double predict(double[] x) {
        double s = 0;
        for (Node t : trees) {
            s += t.predict(x);
        }
        return s / trees.size();
    }

    private static Node grow(double[][] x, double[] y, int[] rows, int depth, int minLeaf, int tried, SplittableRandom rng) {
        double mean = 0;
        for (int r : rows) {
            mean += y[r];
        }
        mean /= rows.length;
        Node leaf = new Node(-1, 0, mean, null, null);
        if (depth == 0 || rows.length < 2 * minLeaf) {
            return leaf;
        }
        int features = x[0].length;
        int[] order = new int[features];
        for (int f = 0; f < features; f++) {
            order[f] = f;
        }
        double bestGain = 1e-12;
        int bestFeature = -1;
        double bestThreshold = 0;
        double total = 0;
        double totalSq = 0;
        for (int r : rows) {
            total += y[r];
            totalSq += y[r] * y[r];
        }
        double parentSse = totalSq - total * total / rows.length;
        Integer[] byValue = new Integer[rows.length];
        for (int k = 0; k < tried; k++) {
            int swap = k + rng.nextInt(features - k);
            int f = order[swap];
            order[swap] = order[k];
            order[k] = f;
            for (int i = 0; i < rows.length; i++) {
                byValue[i] = rows[i];
            }
            Arrays.sort(byValue, (a, b) -> Double.compare(x[a][f], x[b][f]));
            double leftSum = 0;
            double leftSq = 0;
            for (int i = 0; i < rows.length - 1; i++) {
                double v = y[byValue[i]];
                leftSum += v;
                leftSq += v * v;
                int nl = i + 1;
                int nr = rows.length - nl;
                double here = x[byValue[i]][f];
                double next = x[byValue[i + 1]][f];
                if (nl < minLeaf || nr < minLeaf || here == next) {
                    continue;
                }
                double rightSum = total - leftSum;
                double sse = (leftSq - leftSum * leftSum / nl) + (totalSq - leftSq - rightSum * rightSum / nr);
                double gain = parentSse - sse;
                if (gain > bestGain) {
                    bestGain = gain;
                    bestFeature = f;
                    bestThreshold = 0.5 * (here + next);
                }
            }
        }
        if (bestFeature < 0) {
            return leaf;
        }
        int f = bestFeature;
        double th = bestThreshold;
        int[] left = Arrays.stream(rows).filter(r -> x[r][f] <= th).toArray();
        int[] right = Arrays.stream(rows).filter(r -> x[r][f] > th).toArray();
        return new Node(f, th, mean, grow(x, y, left, depth - 1, minLeaf, tried, rng),
                grow(x, y, right, depth - 1, minLeaf, tried, rng));
    }
}
