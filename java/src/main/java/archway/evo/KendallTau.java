package archway.evo;

/**
 * Kendall's rank correlation tau-b between two paired samples: (concordant - discordant) pairs over the
 * geometric mean of the pairs not tied in each sample. 1 = same order, -1 = reversed, 0 = unrelated. The
 * surrogates are judged by it because the search only needs the order of candidates, not their values.
 */
public final class KendallTau {
    private KendallTau() {
    }

    /** tau-b of (a[i], b[i]); 0 when either sample is constant. O(n^2), fine for archive-sized samples. */
    public static double tauB(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("samples differ in length: " + a.length + " vs " + b.length);
        }
        long concordant = 0;
        long discordant = 0;
        long tiedA = 0;
        long tiedB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                int sa = Double.compare(a[i], a[j]);
                int sb = Double.compare(b[i], b[j]);
                if (sa == 0 && sb == 0) {
                    continue;
                }
                if (sa == 0) {
                    tiedA++;
                } else if (sb == 0) {
                    tiedB++;
                } else if (sa == sb) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double n0 = concordant + discordant;
        double denominator = Math.sqrt((n0 + tiedA) * (n0 + tiedB));
        return denominator == 0 ? 0 : (concordant - discordant) / denominator;
    }
}
