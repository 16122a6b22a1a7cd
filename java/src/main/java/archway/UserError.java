package archway;

/**
 * An expected user error (bad flag value, missing or malformed file): printed as one line, exit
 * code 2, no stack trace. Library code throws it with a message that names the file or flag.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
