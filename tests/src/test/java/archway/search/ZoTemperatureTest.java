package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** T = T0 * decay^floor(epoch / every): constant within a block of epochs, one decay per block. */
class ZoTemperatureTest {
    @Test
    void specScheduleStepsEveryFiveEpochs() {
        ZoTemperature t = new ZoTemperature(1.5, 0.75, 5);
        for (int e = 0; e < 5; e++) {
            assertEquals(1.5, t.at(e), 1e-15);
        }
        assertEquals(1.125, t.at(5), 1e-15);
        assertEquals(1.125, t.at(9), 1e-15);
        assertEquals(1.5 * 0.75 * 0.75, t.at(10), 1e-15);
        assertEquals(1.5 * Math.pow(0.75, 9), t.at(49), 1e-15);
    }

    @Test
    void flagsChangeEveryPart() {
        ZoTemperature t = new ZoTemperature(2.0, 0.5, 2);
        assertEquals(2.0, t.at(1), 1e-15);
        assertEquals(1.0, t.at(2), 1e-15);
        assertEquals(0.25, t.at(7), 1e-15);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ZoTemperature(0, 0.75, 5));
        assertThrows(IllegalArgumentException.class, () -> new ZoTemperature(1.5, 0.75, 0));
    }
}
