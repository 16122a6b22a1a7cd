package archway.evo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Kendall's tau-b against hand counts of concordant, discordant and tied pairs. */
class KendallTauTest {
    @Test
    void sameReversedAndOneSwap() {
        double[] a = {1, 2, 3, 4};
        assertEquals(1.0, KendallTau.tauB(a, new double[] {10, 20, 30, 40}), 1e-15);
        assertEquals(-1.0, KendallTau.tauB(a, new double[] {4, 3, 2, 1}), 1e-15);
        assertEquals((5.0 - 1) / 6, KendallTau.tauB(a, new double[] {1, 3, 2, 4}), 1e-15);   // 6 pairs, 1 discordant
    }

    @Test
    void tiesCountAsInTauB() {
        // pairs: 4 concordant, one tied only in a, one tied only in b -> 4 / sqrt(5 * 5)
        assertEquals(0.8, KendallTau.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 3}), 1e-15);
        assertEquals(0.0, KendallTau.tauB(new double[] {1, 1, 1}, new double[] {1, 2, 3}), 0);
    }
}
