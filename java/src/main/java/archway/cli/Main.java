package archway.cli;

import archway.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code nas} command line. */
@Command(name = "nas", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Archway: neural architecture search on native CPU and CUDA kernels.",
        subcommands = {DevicesCommand.class, DataCommand.class, TrainCommand.class, RetrainCommand.class, SearchCommand.class,
                WorkerCommand.class, Bench201Command.class, LandscapeCommand.class, BenchCommand.class, ReportCommand.class,
                CompareCommand.class, SpaceCommand.class, SupernetCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Columns of the help text when the terminal's width is unknown (output piped, no terminal). */
    static final int HELP_WIDTH = 110;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 2 user error, 1 internal failure). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Checked sizes are refused before allocating; this is the net under what was not checked.
            cl.getErr().println("error: " + UserErrors.outOfMemory(e));
            cl.getErr().flush();
            return UserErrors.EXIT_USER_ERROR;
        }
    }

    /** The command line {@link #run} executes: its error handlers, and help at its width. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // The help texts are written for 110 columns (HelpTextLayoutTest); a terminal whose width picocli can
        // read gets that width instead.
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler(new UserErrors.Handler());
        cl.setParameterExceptionHandler(new UserErrors.ParameterHandler());
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Version string from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"archway " + (v == null ? "0.1.0-dev" : v)};
        }
    }
}
