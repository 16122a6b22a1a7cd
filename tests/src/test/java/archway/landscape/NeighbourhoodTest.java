package archway.landscape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.nb201.Nb201Arch;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Radius-r neighbourhoods: C(6,r)*4^r members, all at distance exactly r, symmetric. */
class NeighbourhoodTest {
    @Test
    void sizesAreBinomialTimesFourToTheR() {
        assertEquals(24, Neighbourhood.size(1));
        assertEquals(240, Neighbourhood.size(2));
        assertEquals(1280, Neighbourhood.size(3));
        long total = 0;
        for (int r = 0; r <= 6; r++) {
            total += Neighbourhood.size(r);
        }
        assertEquals(Nb201Arch.SPACE_SIZE, total, "the shells partition the space");
        assertThrows(IllegalArgumentException.class, () -> Neighbourhood.size(7));
    }

    @Test
    void enumerationIsExactAndDuplicateFree() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int k = 0; k < 50; k++) {
            Nb201Arch a = Nb201Arch.fromCode(rng.nextInt(Nb201Arch.SPACE_SIZE));
            for (int r = 1; r <= 3; r++) {
                int[] codes = Neighbourhood.codes(a, r);
                assertEquals(Neighbourhood.size(r), codes.length);
                Set<Integer> seen = new HashSet<>();
                for (int c : codes) {
                    assertEquals(r, a.distance(Nb201Arch.fromCode(c)));
                    assertTrue(seen.add(c), "duplicate neighbour");
                }
                // Symmetry: every neighbour has a in its own radius-r neighbourhood.
                int b = codes[rng.nextInt(codes.length)];
                assertTrue(java.util.Arrays.stream(Neighbourhood.codes(Nb201Arch.fromCode(b), r)).anyMatch(c -> c == a.code()));
            }
        }
    }

    @Test
    void bruteForceAgreesForOneArchitecture() {
        Nb201Arch a = Nb201Arch.parse("333132");
        for (int r = 1; r <= 3; r++) {
            Set<Integer> expected = new HashSet<>();
            for (int c = 0; c < Nb201Arch.SPACE_SIZE; c++) {
                if (a.distance(Nb201Arch.fromCode(c)) == r) {
                    expected.add(c);
                }
            }
            Set<Integer> got = new HashSet<>();
            for (int c : Neighbourhood.codes(a, r)) {
                got.add(c);
            }
            assertEquals(expected, got);
        }
    }
}
