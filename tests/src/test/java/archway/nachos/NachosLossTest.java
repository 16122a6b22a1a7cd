package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The NACHOS loss on two samples and two exits, every term by hand. */
class NachosLossTest {
    @Test
    void termsByHand() {
        // two classes; exit 0 logits (2, 0) and (0, 0); final exit logits (0, 1) and (1, 0); labels 0 and 0
        double[][][] logits = {{{2, 0}, {0, 1}}, {{0, 0}, {1, 0}}};
        double[][] c = {{0.8, 1}, {0.3, 1}};
        int[] labels = {0, 0};
        double[] macs = {10, 100};
        double ce00 = Math.log(1 + Math.exp(-2));
        double ce01 = Math.log(Math.exp(0) + Math.exp(1));
        double ce10 = Math.log(2);
        double ce11 = Math.log(1 + Math.exp(-1));
        double cls = (0.8 * ce00 + 0.2 * ce01) / 2 + (0.3 * ce10 + 0.7 * ce11) / 2;
        // exit 0: sample 0 right (argmax 0), sample 1's tie goes to class 0 (first max): right too -> one class
        double bce = (2 / (2.0 * 2)) * (-Math.log(0.8) - Math.log(0.3)) / 2;
        double expected = (0.8 * 10 + 0.2 * 100 + 0.3 * 10 + 0.7 * 100) / 2;   // 50.5
        double lmacs = (expected - 40) / 60;
        double[][] a = {{0.9, 0.6}, {0.1, 0.2}};
        double sup = ((0.9 - 0.8) * (0.9 - 0.8) + 0.4 * 0.4 + 0.6 * 0.6 + 0.4 * 0.4) / 4;
        NachosLoss.Terms t = NachosLoss.of(logits, c, labels, macs, 40, 0.5, a, 2);
        assertEquals(cls, t.cls(), 1e-12);
        assertEquals(bce, t.bce(), 1e-12);
        assertEquals(lmacs, t.macs(), 1e-12);
        assertEquals(sup, t.sup(), 1e-12);
        assertEquals(cls + bce + 0.5 * lmacs + 2 * sup, t.total(), 1e-12);
        assertEquals(cls + bce + 0.5 * lmacs, NachosLoss.of(logits, c, labels, macs, 40, 0.5, null, 2).total(), 1e-12);
    }
}
