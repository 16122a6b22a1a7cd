package archway.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-trial progress of a batch: the rest at the pace so far, and how it reads. */
class TrialProgressTest {
    @Test
    void theRestOfABatchTakesItsPaceSoFar() {
        // 3 of 12 in 90 s: 30 s each, 9 to go.
        TrialProgress p = new TrialProgress(3, 12, Duration.ofSeconds(90));
        assertEquals(Duration.ofSeconds(270), p.remaining());
        assertEquals(" (1m30s, 4m30s left)", p.text());
        assertEquals(" (2h05m)", new TrialProgress(12, 12, Duration.ofMinutes(125)).text(), "the last result");
        assertEquals(Duration.ZERO, new TrialProgress(12, 12, Duration.ofMinutes(125)).remaining());
        assertEquals("42s", TrialProgress.format(Duration.ofMillis(41_600)));
        assertEquals("1h00m", TrialProgress.format(Duration.ofSeconds(3600)));
        assertThrows(IllegalArgumentException.class, () -> new TrialProgress(0, 3, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new TrialProgress(4, 3, Duration.ZERO));
    }
}
