package archway.landscape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shortest paths: d! orderings, profiles, barriers. */
class PathAnalysisTest {
    static Nb201Table table;

    @BeforeAll
    static void load() {
        table = Nb201Table.loadDefault();
    }

    @Test
    void orderingsAreAllDistinctPermutationsInLexicographicOrder() {
        int[] fact = {1, 1, 2, 6, 24, 120, 720};
        for (int d = 0; d <= 6; d++) {
            int[] items = java.util.stream.IntStream.range(0, d).map(i -> 5 - i).toArray(); // unsorted on purpose
            List<int[]> o = PathAnalysis.orderings(items);
            assertEquals(fact[d], o.size());
            Set<String> seen = new HashSet<>();
            for (int[] p : o) {
                assertTrue(seen.add(java.util.Arrays.toString(p)));
                assertArrayEquals(java.util.Arrays.stream(items).sorted().toArray(), java.util.Arrays.stream(p).sorted().toArray());
            }
        }
        List<int[]> o = PathAnalysis.orderings(new int[] {1, 3, 4});
        assertArrayEquals(new int[] {1, 3, 4}, o.get(0));
        assertArrayEquals(new int[] {1, 4, 3}, o.get(1));
        assertArrayEquals(new int[] {4, 3, 1}, o.get(5));
    }

    @Test
    void pathCountIsDFactorialAndEndpointsAreFixed() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] fact = {1, 1, 2, 6, 24, 120, 720};
        for (int k = 0; k < 30; k++) {
            Nb201Arch a = table.arch(rng.nextInt(table.size()));
            Nb201Arch b = table.arch(rng.nextInt(table.size()));
            PathResult r = PathAnalysis.between(table, Nb201Dataset.CIFAR100, a, b);
            int d = a.distance(b);
            assertEquals(d, r.distance());
            assertEquals(fact[d], r.pathCount());
            assertEquals(fact[d], r.pathBarriers().length);
            assertEquals(d + 1, r.stepMean().length);
            assertEquals(r.fromAccuracy(), r.stepMean()[0], 1e-9);
            assertEquals(r.toAccuracy(), r.stepMean()[d], 1e-9);
            assertEquals(0, r.stepStd()[0], 1e-9);
            assertEquals(table.indexOf(a), r.bestPath()[0]);
            assertEquals(table.indexOf(b), r.bestPath()[d]);
            for (int s = 1; s <= d; s++) {
                assertEquals(1, table.arch(r.bestPath()[s - 1]).distance(table.arch(r.bestPath()[s])));
            }
            assertTrue(r.bestBarrier() >= r.barrierFloor() - 1e-9);
            assertTrue(r.bestBarrier() <= r.meanBarrier() + 1e-9 && r.meanBarrier() <= r.worstBarrier() + 1e-9);
        }
    }

    @Test
    void barrierOfAMonotonePathIsItsFloorAndZeroWhenFlat() {
        // Spec definition: (first + last)/2 - min. A monotone profile has no dip, so only the endpoint gap remains.
        assertEquals(0.0, PathAnalysis.barrier(new double[] {90, 90, 90, 90}), 0);
        assertEquals(0.0, PathAnalysis.barrier(new double[] {90, 91, 93, 90}), 0);
        assertEquals(1.5, PathAnalysis.barrier(new double[] {90, 91, 92, 93}), 1e-12);
        assertEquals(1.5, PathAnalysis.barrier(new double[] {93, 92, 90}), 1e-12);
        assertEquals(5.0, PathAnalysis.barrier(new double[] {90, 85, 90}), 1e-12);
        assertEquals(0.0, PathAnalysis.barrier(new double[] {77}), 0);
    }

    @Test
    void monotoneLandscapeHasNoDipOnAnyPath(@TempDir Path tmp) throws IOException {
        // Accuracy grows by 5 points per nor_conv_3x3 edge: every path from 000000 to 333333 climbs monotonically.
        Nb201Table t = SyntheticTables.write(tmp, c -> {
            Nb201Arch a = Nb201Arch.fromCode(c);
            int n = 0;
            for (int e = 0; e < 6; e++) {
                n += a.op(e) == 3 ? 1 : 0;
            }
            return 50 + 5 * n;
        });
        PathResult up = PathAnalysis.between(t, Nb201Dataset.CIFAR10, Nb201Arch.parse("000000"), Nb201Arch.parse("333333"));
        assertEquals(720, up.pathCount());
        assertEquals(720, up.noDipPaths());
        assertEquals(15.0, up.barrierFloor(), 1e-12);
        assertEquals(15.0, up.worstBarrier(), 1e-12);
        assertArrayEquals(new double[] {50, 55, 60, 65, 70, 75, 80}, up.stepMean(), 1e-12);
        assertArrayEquals(new double[7], up.stepStd(), 1e-12);
        // Between two equally good architectures on a plateau the barrier is zero.
        PathResult flat = PathAnalysis.between(t, Nb201Dataset.CIFAR10, Nb201Arch.parse("333000"), Nb201Arch.parse("000333"));
        assertEquals(0.0, flat.barrierFloor(), 0);
        assertEquals(0.0, flat.bestBarrier(), 1e-12, "adding convs first never drops below 65");
        assertEquals(15.0, flat.worstBarrier(), 1e-12, "removing all three first passes 000000 at 50");
        PathResult same = PathAnalysis.between(t, Nb201Dataset.CIFAR10, Nb201Arch.parse("123412"), Nb201Arch.parse("123412"));
        assertEquals(1, same.pathCount());
        assertEquals(0.0, same.bestBarrier(), 0);
    }

    @Test
    void realPairFromTheBestArchitecture() {
        PathResult r = PathAnalysis.between(table, Nb201Dataset.CIFAR10, table.arch(6111), Nb201Arch.parse("333313"));
        assertEquals(3, r.distance());
        assertArrayEquals(new int[] {3, 4, 5}, r.changedEdges());
        assertEquals(6, r.pathCount());
        assertEquals((r.fromAccuracy() + r.toAccuracy()) / 2 - java.util.Arrays.stream(r.bestPathAccuracy()).min().orElseThrow(),
                r.bestBarrier(), 1e-12);
        PathResult back = PathAnalysis.between(table, Nb201Dataset.CIFAR10, Nb201Arch.parse("333313"), table.arch(6111));
        assertEquals(r.bestBarrier(), back.bestBarrier(), 1e-12);
        assertEquals(r.meanBarrier(), back.meanBarrier(), 1e-12);
    }
}
