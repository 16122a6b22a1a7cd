package archway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas bench}: end-to-end performance harnesses (kernel micro-benchmarks live in bench/, JMH). */
@Command(name = "bench", header = "Performance harnesses: search steps, training steps, single kernels.",
        mixinStandardHelpOptions = true,
        description = {"Performance harnesses. 'nas bench step' times full search steps, 'nas bench train' training steps "
                + "of a discrete network, 'nas bench kernel' one kernel variant on one shape; all on random data. "
                + "Kernel micro-benchmarks: ./bench/jmh.sh (JMH)."},
        subcommands = {BenchStepCommand.class, BenchTrainCommand.class, BenchKernelCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
