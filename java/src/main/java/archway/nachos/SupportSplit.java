package archway.nachos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Each epoch's class-balanced support set: round(fraction * n_k) samples of every class k (at least one when the
 * class has two or more), drawn with the epoch's seed and held out of that epoch's training. The support set
 * measures A[k][j], the accuracy of exit j on class k, which L_sup pulls the confidences towards.
 */
public record SupportSplit(int[] support, int[] train) {
    public static final double FRACTION = 0.1;

    public static SupportSplit of(int[] labels, int classes, double fraction, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] held = new boolean[labels.length];
        for (List<Integer> members : byClass) {
            int n = members.size();
            int take = n < 2 ? 0 : Math.max(1, (int) Math.round(fraction * n));
            for (int t = 0; t < take; t++) {              // partial Fisher-Yates
                int pick = t + random.nextInt(n - t);
                Integer chosen = members.get(pick);
                members.set(pick, members.get(t));
                members.set(t, chosen);
                held[chosen] = true;
            }
        }
        int count = 0;
        for (boolean h : held) {
            count += h ? 1 : 0;
        }
        int[] support = new int[count];
        int[] train = new int[labels.length - count];
        int s = 0;
        int r = 0;
        for (int i = 0; i < labels.length; i++) {
            if (held[i]) {
                support[s++] = i;
            } else {
                train[r++] = i;
            }
        }
        return new SupportSplit(support, train);
    }

    /** A[k][j]: accuracy of exit j on the support samples of class k (0 for a class without support samples). */
    public static double[][] accuracy(int[] labels, boolean[][] correct, int[] support, int classes) {
        int exits = correct.length == 0 ? 0 : correct[support.length == 0 ? 0 : support[0]].length;
        double[][] a = new double[classes][exits];
        int[] count = new int[classes];
        for (int i : support) {
            count[labels[i]]++;
            for (int j = 0; j < exits; j++) {
                a[labels[i]][j] += correct[i][j] ? 1 : 0;
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < exits; j++) {
                a[k][j] = count[k] == 0 ? 0 : a[k][j] / count[k];
            }
        }
        return a;
    }
}
