package archway.bindings;

/** A native call failed or a native library could not be loaded. */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeException(String message) {
        super(message);
    }

    public NativeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws when a native status code is not ARCHWAY_OK. */
    public static void check(int status, String function) {
        if (status != 0) {
            throw new NativeException(function + " failed with status " + status
                    + (status == -1 ? " (invalid argument)" : status == -2 ? " (CUDA error)" : ""));
        }
    }

    /** Wraps a throwable from {@code MethodHandle.invokeExact} (runtime exceptions pass through). */
    public static RuntimeException wrap(String function, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new NativeException(function + ": " + t, t);
    }
}
