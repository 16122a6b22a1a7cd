package archway.trials;

/** The one-line description of a trial failure that is reported and compared across attempts. */
public final class TrialErrors {
    private TrialErrors() {
    }

    public static String describe(Throwable e) {
        String msg = e.getMessage();
        String first = msg == null ? "" : msg.lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }
}
