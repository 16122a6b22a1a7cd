package archway.run;

import archway.UserError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * An I/O failure on a run directory (not a directory, not writable, disk full, ...): an environment
 * error the user can fix, printed as one line naming the path and the reason, exit code 2.
 */
public final class RunIoError extends UserError {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public RunIoError(Path path, String action, IOException cause) {
        super(action + " " + path + ": " + reason(path, cause), cause);
        this.path = path;
    }

    public RunIoError(Path path, String message) {
        super(message);
        this.path = path;
    }

    public Path path() { return path; }

    /** The operating system's reason in words, plus the path it concerns when that is another one. */
    static String reason(Path path, IOException e) {
        String why = switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case FileAlreadyExistsException f -> "already exists";
            case NotDirectoryException n -> "not a directory";
            case FileSystemException f when f.getReason() != null -> lowerFirst(f.getReason());
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : lowerFirst(e.getMessage());
        };
        if (e instanceof FileSystemException f && f.getFile() != null
                && !Path.of(f.getFile()).toAbsolutePath().equals(path.toAbsolutePath())) {
            why += " (" + f.getFile() + ")";
        }
        return why;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() || Character.isUpperCase(s.charAt(0)) && s.length() > 1 && Character.isUpperCase(s.charAt(1))
                ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
