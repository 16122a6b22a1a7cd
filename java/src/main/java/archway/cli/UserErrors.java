package archway.cli;

import archway.MemoryBudget;
import archway.UserError;
import archway.data.DataFormatException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;

/** Maps expected failures to one line on stderr and exit code 2; everything else keeps its trace. */
final class UserErrors {
    static final int EXIT_USER_ERROR = 2;
    /** User-supplied text longer than this is shortened where a message repeats it. */
    static final int LONG_TEXT = 80;
    /** No error line is longer than this, whatever it quotes. */
    static final int MAX_LINE = 1000;

    private UserErrors() {
    }

    static boolean isExpected(Throwable t) {
        return t instanceof UserError || t instanceof DataFormatException || t instanceof NoSuchFileException;
    }

    /** One error line: long command-line values it repeats are shortened, and the line is capped. */
    static String line(String message, List<String> args) {
        String m = message == null ? "(no message)" : message;
        for (String a : args) {
            if (a.length() > LONG_TEXT) {
                // Values also appear as --opt=value or inside quotes; the raw value covers both.
                String v = a.startsWith("--") && a.contains("=") ? a.substring(a.indexOf('=') + 1) : a;
                if (v.length() > LONG_TEXT) {
                    m = m.replace(v, shorten(v));
                }
            }
        }
        return m.length() > MAX_LINE ? shorten(m, MAX_LINE) : m;
    }

    /** The first and last characters of a long text with its length in between. */
    static String shorten(String s) {
        return shorten(s, LONG_TEXT);
    }

    private static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int head = max * 2 / 3, tail = max / 4;
        return s.substring(0, head) + "...[" + s.length() + " characters]..." + s.substring(s.length() - tail);
    }

    /** The error line of an OutOfMemoryError nobody checked for in advance. */
    static String outOfMemory(OutOfMemoryError e) {
        return "out of memory (" + e.getMessage() + "): the JVM's maximum heap is "
                + MemoryBudget.size(Runtime.getRuntime().maxMemory()) + " (raise it with ARCHWAY_JAVA_OPTS=-Xmx<size>) and "
                + MemoryBudget.size(MemoryBudget.availableNativeBytes()) + " of memory is available now; "
                + "use a smaller --batch, --channels or --cells";
    }

    static final class Handler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            PrintWriter err = cl.getErr();
            if (isExpected(ex)) {
                String msg = ex instanceof NoSuchFileException n ? "no such file: " + n.getFile() : ex.getMessage();
                err.println("error: " + line(msg, parsed.originalArgs()));
                err.flush();
                return EXIT_USER_ERROR;
            }
            err.println("internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    static final class ParameterHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + line(ex.getMessage(), List.of(args)));
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USER_ERROR;
        }
    }
}
