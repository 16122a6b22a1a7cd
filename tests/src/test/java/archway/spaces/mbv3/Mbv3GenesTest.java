package archway.spaces.mbv3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.evo.GeneSolution;
import archway.evo.JMetalRandomScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.uma.jmetal.operator.crossover.impl.TwoPointCrossover;
import org.uma.jmetal.operator.mutation.impl.IntegerPolynomialMutation;
import org.uma.jmetal.solution.Solution;

/** The mbv3 genome: encoding, OFA JSON, canonical form, sampling and the NSGA-II operators on it. */
class Mbv3GenesTest {
    private static final String JSON = "{\"ks\":[3,5,7,3,5,7,3,5,7,3,5,7,3,5,7,3,5,7,3,5],"
            + "\"e\":[3,4,6,3,4,6,3,4,6,3,4,6,3,4,6,3,4,6,3,4],\"d\":[2,3,4,2,3]}";

    @Test
    void jsonAndGenesRoundTrip() {
        Mbv3Arch a = Mbv3Json.parse(JSON);
        assertEquals(JSON, Mbv3Json.write(a));
        assertEquals(3, a.depth(1));
        assertEquals(7, a.kernel(0, 2));
        assertEquals(6, a.expand(1, 1));   // slot 5
        Mbv3GeneSpace space = new Mbv3GeneSpace(List.of());
        int[] g = space.encode(a);
        assertEquals(45, g.length);
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, java.util.Arrays.copyOf(g, 5));
        assertEquals(a, space.decode(g));
        Mbv3GeneSpace withR = new Mbv3GeneSpace(List.of(24, 28, 32));
        Mbv3Arch r = Mbv3Json.parse(JSON.replace("}", ",\"r\":32}"));
        assertEquals(32, r.resolution());
        int[] gr = withR.encode(r);
        assertEquals(46, gr.length);
        assertEquals(2, gr[45]);
        assertEquals(r, withR.decode(gr));
    }

    @Test
    void badJsonSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mbv3Json.parse("{")).getMessage().contains("not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mbv3Json.parse(JSON.replace("\"d\":[2,3,4,2,3]", "\"d\":[2,3,4,2,5]")))
                .getMessage().contains("d value 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mbv3Json.parse(JSON.replace("\"d\"", "\"x\"")))
                .getMessage().contains("unknown field"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mbv3Json.parse("{\"ks\":[3],\"e\":[3],\"d\":[2]}"))
                .getMessage().contains("needs 5 depths"));
    }

    @Test
    void canonicalFormClearsOnlyUnusedSlots() {
        Mbv3GeneSpace space = new Mbv3GeneSpace(List.of());
        Mbv3Arch a = Mbv3Json.parse(JSON);
        int[] c = space.canonical(space.encode(a));
        Mbv3Arch back = space.decode(c);
        assertEquals(Mbv3Count.of(a, 1, 28, 10), Mbv3Count.of(back, 1, 28, 10));
        assertEquals(3, back.kernel(0, 2));     // stage 0 has depth 2: slot 2 reset to the first choice
        assertEquals(7, a.kernel(0, 2));
        assertEquals(a.kernel(2, 3), back.kernel(2, 3));   // stage 2 has depth 4: kept
        assertArrayEquals(c, space.canonical(c));
    }

    @Test
    void samplesAndOperatorOffspringAreValidGenomes() {
        Mbv3GeneSpace space = new Mbv3GeneSpace(List.of(24, 28));
        int[] card = space.cardinality();
        SplittableRandom rng = new SplittableRandom(1);
        int[] seenDepth = new int[3];
        for (int i = 0; i < 200; i++) {
            int[] g = space.sample(rng);
            space.decode(g);
            seenDepth[g[0]]++;
        }
        assertTrue(seenDepth[0] > 40 && seenDepth[1] > 40 && seenDepth[2] > 40, java.util.Arrays.toString(seenDepth));
        JMetalRandomScope.withSeed(3, () -> {
            TwoPointCrossover<Integer> x = new TwoPointCrossover<>(1.0);
            IntegerPolynomialMutation m = new IntegerPolynomialMutation(0.5, 20);
            int changed = 0;
            for (int i = 0; i < 100; i++) {
                GeneSolution p1 = new GeneSolution(space.sample(rng), card, 2);
                GeneSolution p2 = new GeneSolution(space.sample(rng), card, 2);
                for (Solution<Integer> child : x.execute(List.of(p1, p2))) {
                    int[] before = ((GeneSolution) child).genes();
                    int[] after = ((GeneSolution) m.execute((GeneSolution) child)).genes();
                    space.decode(after);   // throws if any gene left its range
                    changed += java.util.Arrays.equals(before, after) ? 0 : 1;
                }
            }
            assertTrue(changed > 150, changed + " of 200 offspring mutated");
            return null;
        });
    }
}
