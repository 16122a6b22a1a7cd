package archway.data;

import java.util.Arrays;

/**
 * The search split: a training set divided 50/50 into a weight-train half (network weights learn on it) and
 * an arch-val half (architecture parameters learn on it). Fixed by a seed and stratified by class, so each
 * half keeps the class balance (an odd class count gives the extra image to arch-val). Both index lists are
 * sorted ascending; they are disjoint and together cover {@code 0..n-1}.
 */
public record SearchSplit(int[] weightTrain, int[] archVal) {
    public SearchSplit {
        weightTrain = weightTrain.clone();
        archVal = archVal.clone();
    }

    /** Splits {@code ds} per class with a shuffle seeded by (seed, class). */
    public static SearchSplit of(Dataset ds, long seed) {
        int n = ds.size();
        int[] counts = ds.classCounts();
        int[][] byClass = new int[ds.numClasses()][];
        int[] fill = new int[ds.numClasses()];
        for (int k = 0; k < byClass.length; k++) {
            byClass[k] = new int[counts[k]];
        }
        for (int i = 0; i < n; i++) {
            int k = ds.label(i);
            byClass[k][fill[k]++] = i;
        }
        int[] a = new int[n];
        int[] b = new int[n];
        int na = 0;
        int nb = 0;
        SeedStream rnd = new SeedStream();
        for (int k = 0; k < byClass.length; k++) {
            int[] idx = byClass[k];
            rnd.reset(seed, SeedStream.SPLIT, k, 0).shuffle(idx, idx.length);
            int half = idx.length / 2;
            System.arraycopy(idx, 0, a, na, half);
            System.arraycopy(idx, half, b, nb, idx.length - half);
            na += half;
            nb += idx.length - half;
        }
        int[] wt = Arrays.copyOf(a, na);
        int[] av = Arrays.copyOf(b, nb);
        Arrays.sort(wt);
        Arrays.sort(av);
        return new SearchSplit(wt, av);
    }

    @Override
    public int[] weightTrain() {
        return weightTrain.clone();
    }

    @Override
    public int[] archVal() {
        return archVal.clone();
    }
}
