package archway.search;

import java.util.List;

/** Closing what a constructor made before it failed. */
final class Resources {
    private Resources() {
    }

    /** Closes {@code made} in reverse order of creation, adding their failures to {@code cause}; returns it. */
    static RuntimeException closeAfterFailure(List<AutoCloseable> made, RuntimeException cause) {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                made.get(i).close();
            } catch (Exception suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
        return cause;
    }
}
