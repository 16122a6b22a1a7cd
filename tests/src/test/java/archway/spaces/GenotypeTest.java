package archway.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.UserError;
import archway.spaces.darts.Genotype;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DARTS genotype text: round trip, the forms the DARTS code prints, and clear errors for bad text. */
class GenotypeTest {
    @Test
    void textRoundTrips() {
        Genotype g = Genotype.parse(DartsNetworkTest.DARTS_V2);
        assertEquals(DartsNetworkTest.DARTS_V2, g.toString());
        assertEquals(g, Genotype.parse(g.toString()));
        assertEquals(new Genotype.Gene("dil_conv_3x3", 2), g.normal().get(7));
        assertEquals(List.of(2, 3, 4, 5), g.reduceConcat());
        assertEquals(4, g.normalSteps());
    }

    @Test
    void acceptsRangeDoubleQuotesAnyFieldOrderAndWhitespace() {
        String text = """
                Genotype(
                  reduce_concat=range(2, 6),
                  normal=[("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ('skip_connect', 0), ('sep_conv_3x3', 1),
                          ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)],
                  normal_concat=[2,3,4,5],
                  reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0),
                          ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)],
                )""";
        Genotype g = Genotype.parse(text);
        assertEquals(List.of(2, 3, 4, 5), g.reduceConcat());
        assertEquals(new Genotype.Gene("sep_conv_3x3", 1), g.normal().get(0));
        assertEquals(g, Genotype.parse(g.toString()));
    }

    @Test
    void badTextFailsWithAMessageSayingWhatIsWrong() {
        String ok = DartsNetworkTest.DARTS_V2;
        expect("", "empty");
        expect("Genotype normal=[]", "expected '('");
        expect(ok.replace("normal_concat=[2, 3, 4, 5], ", ""), "'normal_concat' is missing");
        expect(ok.replace("'sep_conv_3x3', 0", "'conv_7x7', 0"), "unknown op 'conv_7x7'");
        expect(ok.replace("('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)",
                "('sep_conv_3x3', 2), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)"), "cannot take input 2");
        expect(ok.replace("('dil_conv_3x3', 2)], normal_concat", "('dil_conv_3x3', 2), ('skip_connect', 0)], normal_concat"),
                "two (op, input) pairs per node");
        expect(ok.replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=[2, 6]"), "reduce_concat node 6 out of range");
        expect(ok + " extra", "unexpected text after");
        expect(ok.replace("reduce_concat=", "reduce_concat=[2], reduce_concat="), "given twice");
        expect(ok.replace("normal=", "normol="), "unknown field 'normol'");
        expect(ok.replace("('sep_conv_3x3', 0)", "('sep_conv_3x3, 0)"), "expected ','");
        expect(ok.replace("('sep_conv_3x3', 0)", "('sep_conv_3x3', x)"), "expected an integer");
        expect(ok.substring(0, 60), "at character");
    }

    @Test
    void theCliPathTurnsParseErrorsIntoUserErrors() {
        UserError e = assertThrows(UserError.class, () -> SpaceNetworks.discrete("darts", "Genotype(", 16, 8, 10));
        assertTrue(e.getMessage().startsWith("genotype:"), e.getMessage());
    }

    private static void expect(String text, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Genotype.parse(text), text);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertTrue(e.getMessage().startsWith("genotype:"), e.getMessage());
    }
}
