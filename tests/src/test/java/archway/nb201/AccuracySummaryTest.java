package archway.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Quantiles and moments of plain and weighted samples. */
class AccuracySummaryTest {
    @Test
    void matchesNumpyDefaults() {
        AccuracySummary s = AccuracySummary.of(new double[] {4, 1, 3, 2});
        assertEquals(4, s.count());
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(1.25), s.std(), 1e-12); // population std
        assertEquals(1, s.min());
        assertEquals(1.15, s.p05(), 1e-12);             // numpy.percentile([1,2,3,4], 5)
        assertEquals(1.75, s.p25(), 1e-12);
        assertEquals(2.5, s.median(), 1e-12);
        assertEquals(3.25, s.p75(), 1e-12);
        assertEquals(3.85, s.p95(), 1e-12);
        assertEquals(4, s.max());
    }

    @Test
    void weightedEqualsExpanded() {
        double[] v = {70, 10, 95.5, 42};
        long[] w = {3, 0, 2, 5};
        AccuracySummary a = AccuracySummary.ofWeighted(v, w);
        AccuracySummary b = AccuracySummary.of(new double[] {70, 70, 70, 95.5, 95.5, 42, 42, 42, 42, 42});
        assertEquals(b.count(), a.count());
        assertEquals(b.mean(), a.mean(), 1e-12);
        assertEquals(b.std(), a.std(), 1e-12);
        assertEquals(b.min(), a.min());
        assertEquals(b.p05(), a.p05(), 1e-12);
        assertEquals(b.p25(), a.p25(), 1e-12);
        assertEquals(b.median(), a.median(), 1e-12);
        assertEquals(b.p75(), a.p75(), 1e-12);
        assertEquals(b.p95(), a.p95(), 1e-12);
        assertEquals(b.max(), a.max());
    }

    @Test
    void emptyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AccuracySummary.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> AccuracySummary.ofWeighted(new double[] {1}, new long[] {0}));
    }
}
