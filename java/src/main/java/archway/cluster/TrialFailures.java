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
            if (attempts.stream().filter(b -> b.error().equals(a.error())).count() >= GIVE_UP_SAME_ERROR) {
                return a.error();
            }
        }
        return attempts.size() >= MAX_ATTEMPTS ? attempts.getLast().error() : null;
    }

    /** Where the attempts ran, for people: "3 attempts on 127.0.0.1:5701, 127.0.0.1:5702, 127.0.0.1:5701". */
    public String where() {
        return attempts.size() + " attempts on " + String.join(", ", attempts.stream().map(Attempt::worker).toList());
    }
}
