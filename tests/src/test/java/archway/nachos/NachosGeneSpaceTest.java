package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3GeneSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Backbone genes plus exit bits: samples always have an early exit, canonical form repairs those without. */
class NachosGeneSpaceTest {
    private final NachosGeneSpace space = new NachosGeneSpace(new Mbv3GeneSpace(List.of()));

    @Test
    void samplesCoverEveryPlacementWithAnEarlyExit() {
        assertEquals(Mbv3GeneSpace.BASE_GENES + 4, space.length());
        int[] card = space.cardinality();
        assertArrayEquals(new int[] {2, 2, 2, 2}, java.util.Arrays.copyOfRange(card, card.length - 4, card.length));
        Set<ExitPlacement> seen = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 600; i++) {
            int[] g = space.sample(rng);
            int n = space.length();
            assertArrayEquals(java.util.Arrays.copyOfRange(g, n - 4, n),
                    java.util.Arrays.copyOfRange(space.canonical(g), n - 4, n));   // sampled bits need no repair
            seen.add(space.decode(g).exits());
        }
        assertEquals(15, seen.size());
    }

    @Test
    void canonicalAddsTheLastEarlyExitWhenNoneIsPlaced() {
        int[] g = new Mbv3GeneSpace(List.of()).encode(Mbv3Arch.largest());
        int[] genes = java.util.Arrays.copyOf(g, space.length());   // exit bits all 0
        NachosGeneSpace.Decoded d = space.decode(genes);
        assertEquals(Mbv3Arch.largest(), d.arch());
        assertArrayEquals(new int[] {3}, d.exits().stages());
        assertTrue(space.canonical(genes)[space.length() - 1] == 1);
    }
}
