package archway.cli;

import archway.UserError;
import archway.data.DataFormatException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Maps expected failures to one line on stderr and exit code 2; everything else keeps its trace. */
final class UserErrors {
    static final int EXIT_USER_ERROR = 2;

    private UserErrors() {
    }

    static boolean isExpected(Throwable t) {
        return t instanceof UserError || t instanceof DataFormatException || t instanceof NoSuchFileException;
    }

    static final class Handler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            PrintWriter err = cl.getErr();
            if (isExpected(ex)) {
                String msg = ex instanceof NoSuchFileException n ? "no such file: " + n.getFile() : ex.getMessage();
                err.println("error: " + msg);
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
            err.println("error: " + ex.getMessage());
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USER_ERROR;
        }
    }
}
