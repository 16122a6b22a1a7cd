package archway.data;

/**
 * A data file is missing, malformed or inconsistent. The message names the file and the problem;
 * the CLI prints it as one line with exit code 2.
 */
public final class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
