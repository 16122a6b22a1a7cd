package archway.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The failed attempts of one trial. A trial is given up when {@link #GIVE_UP_SAME_ERROR} attempts failed with
 * the same error (a deterministic trial fails the same way everywhere), or after {@link #MAX_ATTEMPTS} failures
 * in all (errors that differ from worker to worker, e.g. a worker without the data).
 */
public record TrialFailures(List<Attempt> attempts) {
    public static final int GIVE_UP_SAME_ERROR = 3;
    public static final int MAX_ATTEMPTS = 5;

    /** One failed attempt: where and how. */
    public record Attempt(String worker, String error) {
    }

    public static TrialFailures none() {
        return new TrialFailures(List.of());
    }

    public TrialFailures plus(Attempt a) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(a);
        return new TrialFailures(List.copyOf(all));
    }

    /** The error to report when the trial should be given up, or null to try again. */
    public String giveUpError() {
        for (Attempt a : attempts) {
            long same = attempts.stream().filter(b -> b.error().equals(a.error())).count();
            if (same >= GIVE_UP_SAME_ERROR) {
                return a.error() + " (on " + same + " attempts: " + workersWith(a.error()) + ")";
            }
        }
        if (attempts.size() >= MAX_ATTEMPTS) {
            return attempts.getLast().error() + " (" + attempts.size() + " attempts failed, with different errors)";
        }
        return null;
    }

    private String workersWith(String error) {
        return String.join(", ", attempts.stream().filter(a -> a.error().equals(error)).map(Attempt::worker).toList());
    }
}
