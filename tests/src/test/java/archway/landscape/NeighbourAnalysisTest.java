package archway.landscape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.nb201.AccuracySummary;
import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Band neighbourhood statistics against direct computation. */
class NeighbourAnalysisTest {
    static Nb201Table table;

    @BeforeAll
    static void load() {
        table = Nb201Table.loadDefault();
    }

    @Test
    void allRowIsTheTableDistribution() {
        NeighbourAnalysis an = NeighbourAnalysis.compute(table, Nb201Dataset.CIFAR10, 2, AccuracyBand.paper(Nb201Dataset.CIFAR10));
        AccuracySummary whole = table.summary(Nb201Dataset.CIFAR10);
        BandNeighbours all = an.all();
        assertEquals(15_625, all.architectures());
        assertEquals(15_625L * 240, all.neighbours().count());
        assertEquals(whole.mean(), all.neighbours().mean(), 1e-9);
        assertEquals(whole.std(), all.neighbours().std(), 1e-9);
        assertEquals(whole.median(), all.neighbours().median(), 1e-12);
        assertEquals(15_625L * 240, all.histogram().total());
    }

    @Test
    void bandStatisticsMatchADirectComputation() {
        Nb201Dataset d = Nb201Dataset.IMAGENET16_120;
        AccuracyBand a = AccuracyBand.paper(d, "A");
        NeighbourAnalysis an = NeighbourAnalysis.compute(table, d, 1, List.of(a));
        BandNeighbours b = an.bands().get(0);
        int members = 0;
        double sum = 0, sumSq = 0, localStd = 0;
        long n = 0;
        for (int i = 0; i < table.size(); i++) {
            if (!a.contains(table.accuracy(d, i))) {
                continue;
            }
            members++;
            double ls = 0, lss = 0;
            for (int c : Neighbourhood.codes(table.arch(i), 1)) {
                double v = table.accuracy(d, Nb201Arch.fromCode(c));
                sum += v;
                sumSq += v * v;
                ls += v;
                lss += v * v;
                n++;
            }
            double m = ls / 24;
            localStd += Math.sqrt(lss / 24 - m * m);
        }
        assertEquals(members, b.architectures());
        assertEquals(members * 24L, b.neighbours().count());
        double mean = sum / n;
        assertEquals(mean, b.neighbours().mean(), 1e-9);
        assertEquals(Math.sqrt(sumSq / n - mean * mean), b.neighbours().std(), 1e-6);
        assertEquals(localStd / members, b.meanLocalStd(), 1e-6);
        assertEquals(members * 24L, b.histogram().total());
    }

    @Test
    void emptyBandIsReportedNotFatal() {
        NeighbourAnalysis an = NeighbourAnalysis.compute(table, Nb201Dataset.CIFAR10, 1, List.of(new AccuracyBand("A", 99, 100)));
        assertEquals(0, an.bands().get(0).architectures());
        assertNull(an.bands().get(0).neighbours());
    }

    @Test
    void radiusIsChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> NeighbourAnalysis.compute(table, Nb201Dataset.CIFAR10, 0, AccuracyBand.paper(Nb201Dataset.CIFAR10)));
    }

    @Test
    void bandsParse() {
        assertEquals(AccuracyBand.paper(Nb201Dataset.CIFAR100), AccuracyBand.parseList("paper", Nb201Dataset.CIFAR100));
        List<AccuracyBand> b = AccuracyBand.parseList("90:95, 10:20.5", Nb201Dataset.CIFAR10);
        assertEquals(new AccuracyBand("A", 90, 95), b.get(0));
        assertEquals(new AccuracyBand("B", 10, 20.5), b.get(1));
        assertTrue(b.get(0).contains(90) && b.get(0).contains(95) && !b.get(0).contains(95.01));
        assertThrows(IllegalArgumentException.class, () -> AccuracyBand.parseList("90-95", Nb201Dataset.CIFAR10));
        assertThrows(IllegalArgumentException.class, () -> AccuracyBand.parseList("x:95", Nb201Dataset.CIFAR10));
        assertThrows(IllegalArgumentException.class, () -> AccuracyBand.parseList("95:90", Nb201Dataset.CIFAR10));
        assertEquals(new AccuracyBand("C", 24.3, 25.7), AccuracyBand.paper(Nb201Dataset.IMAGENET16_120, "c"));
    }

    @Test
    void endpointPairsAreReproducibleAndInsideTheBand() {
        Nb201Dataset d = Nb201Dataset.CIFAR10;
        AccuracyBand a = AccuracyBand.paper(d, "A");
        List<EndpointPairs.Pair> paper = EndpointPairs.paper(table, d);
        assertEquals(paper, EndpointPairs.paper(table, d));
        assertTrue(!paper.isEmpty() && paper.size() <= EndpointPairs.PAPER_ANCHORS * 4);
        for (EndpointPairs.Pair p : paper) {
            assertTrue(a.contains(table.accuracy(d, p.from())) && a.contains(table.accuracy(d, p.to())));
            int dist = table.arch(p.from()).distance(table.arch(p.to()));
            assertTrue(dist >= 3 && dist <= 6);
        }
        List<EndpointPairs.Pair> r1 = EndpointPairs.random(table, d, a, 50, 9);
        assertEquals(r1, EndpointPairs.random(table, d, a, 50, 9));
        assertTrue(!r1.equals(EndpointPairs.random(table, d, a, 50, 10)));
        for (EndpointPairs.Pair p : r1) {
            assertTrue(p.from() != p.to());
            assertTrue(a.contains(table.accuracy(d, p.from())) && a.contains(table.accuracy(d, p.to())));
        }
        assertThrows(IllegalArgumentException.class, () -> EndpointPairs.random(table, d, new AccuracyBand("X", 99, 100), 5, 1));
    }
}
