package archway.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Encoding, parsing and distance of NB201 architectures. */
class Nb201ArchTest {
    static final String BEST_C10 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    @Test
    void opsAndEdgesAreInTheSpecOrder() {
        assertEquals(java.util.List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"), Nb201Arch.OPS);
        assertEquals(java.util.List.of("1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"), Nb201Arch.EDGE_NAMES);
        for (int e = 0; e < 6; e++) {
            String[] st = Nb201Arch.EDGE_NAMES.get(e).split("<-");
            assertEquals(Integer.parseInt(st[0]), Nb201Arch.edgeTarget(e));
            assertEquals(Integer.parseInt(st[1]), Nb201Arch.edgeSource(e));
        }
    }

    @Test
    void parsesTheBenchmarkStringInEdgeOrder() {
        Nb201Arch a = Nb201Arch.parse(BEST_C10);
        assertEquals("333132", a.toDigits());
        assertEquals(3, a.op(0));
        assertEquals(1, a.op(3));
        assertEquals("nor_conv_1x1", a.opName(5));
        assertEquals(BEST_C10, a.toBenchmarkString());
        assertEquals(a, Nb201Arch.parse("333132"));
        assertEquals(a, Nb201Arch.of(3, 3, 3, 1, 3, 2));
        assertEquals("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|skip_connect~1|nor_conv_3x3~2|",
                Nb201Arch.parse("333313").toBenchmarkString());
    }

    @Test
    void everyArchitectureRoundTripsThroughBothTextFormsAndItsCode() {
        for (int c = 0; c < Nb201Arch.SPACE_SIZE; c++) {
            Nb201Arch a = Nb201Arch.fromCode(c);
            assertEquals(c, a.code());
            assertEquals(a, Nb201Arch.parse(a.toBenchmarkString()));
            assertEquals(a, Nb201Arch.parse(a.toDigits()));
            assertEquals(a, Nb201Arch.of(a.ops()));
        }
    }

    @Test
    void badStringsSayWhatIsWrong() {
        assertMessage("expected 3 node groups", "|none~0|+|none~0|none~1|");
        assertMessage("must read from node 1", "|none~0|+|none~0|none~0|+|none~0|none~1|none~2|");
        assertMessage("unknown operation 'conv_3x3' on edge 3<-2", "|none~0|+|none~0|none~1|+|none~0|none~1|conv_3x3~2|");
        assertMessage("node 2 must have 2 incoming edge(s)", "|none~0|+|none~0|+|none~0|none~1|none~2|");
        assertMessage("not of the form op~input", "|none~0|+|none~0|none|+|none~0|none~1|none~2|");
        assertMessage("must start and end with '|'", "|none~0|+none~0|none~1|+|none~0|none~1|none~2|");
        assertMessage("expected 6 digits", "33331");
        assertMessage("character 3 ('5') is not an op index", "335313");
        assertMessage("expected 6 digits", "");
        assertThrows(IllegalArgumentException.class, () -> Nb201Arch.of(0, 1, 2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> Nb201Arch.of(0, 1, 2, 3, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> Nb201Arch.fromCode(15_625));
        assertThrows(IllegalArgumentException.class, () -> Nb201Arch.fromCode(0).withOp(0, 5));
    }

    private static void assertMessage(String expected, String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nb201Arch.parse(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("'" + input + "'"), "message quotes the input: " + e.getMessage());
    }

    @Test
    void distanceIsAMetricOnSamples() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < 20_000; k++) {
            Nb201Arch a = Nb201Arch.fromCode(rng.nextInt(Nb201Arch.SPACE_SIZE));
            Nb201Arch b = Nb201Arch.fromCode(rng.nextInt(Nb201Arch.SPACE_SIZE));
            Nb201Arch c = Nb201Arch.fromCode(rng.nextInt(Nb201Arch.SPACE_SIZE));
            assertEquals(a.distance(b), b.distance(a));
            assertEquals(a.distance(b), Nb201Arch.distance(a.code(), b.code()));
            assertTrue(a.distance(c) <= a.distance(b) + b.distance(c));
            assertEquals(a.equals(b) ? 0 : 1, Math.min(1, a.distance(b)));
            assertEquals(0, a.distance(a));
        }
        assertEquals(6, Nb201Arch.parse("000000").distance(Nb201Arch.parse("111111")));
        assertEquals(2, Nb201Arch.parse("333313").distance(Nb201Arch.parse("333132").withOp(5, 3)));
    }

    @Test
    void withOpChangesOneEdge() {
        Nb201Arch a = Nb201Arch.parse("012340");
        Nb201Arch b = a.withOp(2, 4);
        assertEquals("014340", b.toDigits());
        assertEquals("012340", a.toDigits(), "immutable");
        assertEquals(1, a.distance(b));
    }
}
