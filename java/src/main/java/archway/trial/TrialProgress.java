package archway.trial;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a batch of trials stands when one of its results arrives: {@code arrived} of {@code toRun} done,
 * {@code elapsed} since the batch went to the runner. What a long search prints per trial.
 */
public record TrialProgress(int arrived, int toRun, Duration elapsed) {
    public TrialProgress {
        if (arrived < 1 || arrived > toRun || elapsed.isNegative()) {
            throw new IllegalArgumentException("bad trial progress " + arrived + "/" + toRun + " after " + elapsed);
        }
    }

    /** The time the rest of the batch takes at its pace so far (zero when it is done). */
    public Duration remaining() {
        return elapsed.multipliedBy(toRun - arrived).dividedBy(arrived);
    }

    /** " (1m05s, 4m20s left)", or " (1m05s)" for the batch's last result. */
    public String text() {
        return arrived == toRun ? " (" + format(elapsed) + ")" : " (" + format(elapsed) + ", " + format(remaining()) + " left)";
    }

    /** 42s, 3m05s, 2h07m. */
    static String format(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
