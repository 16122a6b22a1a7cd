package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a step range is run eagerly, captured, replayed or re-captured; and the skip pattern it keys on. */
class RecapturePolicyTest {
    private static final long[] GUARDS = {-1, 0, 1, -1, 2, 2};

    @Test
    void firstRunEagerThenCaptureThenReplayUntilThePatternChanges() {
        SkipPattern dense = SkipPattern.of(GUARDS, new float[] {0.2f, 0.3f, 0.5f});
        SkipPattern sparse = SkipPattern.of(GUARDS, new float[] {0.5f, 0f, 0.5f});
        RecapturePolicy p = new RecapturePolicy();
        List<GraphAction> got = List.of(p.next(dense, false), p.next(dense, false), p.next(dense, false),
                p.next(sparse, false), p.next(sparse, false), p.next(dense, false), p.next(dense, true),
                p.next(dense, false));
        assertEquals(List.of(GraphAction.EAGER, GraphAction.CAPTURE, GraphAction.REPLAY, GraphAction.RECAPTURE,
                GraphAction.REPLAY, GraphAction.RECAPTURE, GraphAction.EAGER, GraphAction.REPLAY), got);
        assertEquals(3, p.captures());
        p.invalidate();
        assertEquals(GraphAction.CAPTURE, p.next(dense, false));
        assertEquals(4, p.captures());
    }

    @Test
    void aFailedCaptureSendsTheRangeToEagerRunsForGood() {
        SkipPattern dense = SkipPattern.of(GUARDS, new float[] {0.2f, 0.3f, 0.5f});
        SkipPattern sparse = SkipPattern.of(GUARDS, new float[] {0.5f, 0f, 0.5f});
        RecapturePolicy p = new RecapturePolicy();
        assertEquals(List.of(GraphAction.EAGER, GraphAction.CAPTURE), List.of(p.next(dense, false), p.next(dense, false)));
        p.captureFailed();
        // Neither the same pattern, nor a new one, nor an invalidation brings capturing back.
        List<GraphAction> got = List.of(p.next(dense, false), p.next(sparse, false), p.next(dense, false));
        p.invalidate();
        assertEquals(List.of(GraphAction.EAGER, GraphAction.EAGER, GraphAction.EAGER, GraphAction.EAGER),
                List.of(got.get(0), got.get(1), got.get(2), p.next(dense, false)));
        assertEquals(true, p.eagerOnly());
        assertEquals(1, p.captures());
    }

    @Test
    void weightChangesThatKeepTheZerosReplay() {
        RecapturePolicy p = new RecapturePolicy();
        p.next(SkipPattern.of(GUARDS, new float[] {0.1f, 0.9f, 0f}), false);
        p.next(SkipPattern.of(GUARDS, new float[] {0.1f, 0.9f, 0f}), false);
        // Other nonzero values, same zeros: the graph reads weights from memory, so it still fits.
        assertEquals(GraphAction.REPLAY, p.next(SkipPattern.of(GUARDS, new float[] {0.7f, 0.3f, 0f}), false));
    }

    @Test
    void skipPatternMarksExactlyTheStepsWhoseGuardWeightIsZero() {
        long[] guards = new long[130];
        java.util.Arrays.fill(guards, -1);
        guards[0] = 0;
        guards[64] = 1;
        guards[129] = 1;
        guards[70] = 2;
        SkipPattern p = SkipPattern.of(guards, new float[] {0f, 0f, 1e-30f});
        for (int i = 0; i < guards.length; i++) {
            assertEquals(i == 0 || i == 64 || i == 129, p.skips(i), "step " + i);
        }
        assertEquals(3, p.bits().length);
        assertFalse(SkipPattern.of(guards, new float[] {1f, 1f, 1f}).skips(0));
        assertEquals(SkipPattern.of(guards, new float[] {0f, 0f, 2f}), p);
        assertNotEquals(SkipPattern.of(guards, new float[] {0f, 1f, 2f}), p);
        assertTrue(SkipPattern.of(guards, new float[] {-0f, 1f, 1f}).skips(0), "-0 is zero too");
    }
}
