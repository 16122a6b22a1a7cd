package archway.cli;

import archway.UserError;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Json;
import archway.supernet.SubnetAccuracy;
import archway.supernet.SupernetEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas supernet eval}: test accuracy of subnets taken from a trained supernet. */
@Command(name = "eval", header = "Test accuracy of subnets of a trained supernet.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test accuracy of the largest and the smallest subnet (and of each --arch) of a trained supernet: "
                + "weights sliced from the supernet's latest checkpoint, batch-norm statistics recalibrated on training "
                + "images, then evaluated on the test split of the run's dataset.",
                "",
                "Example: nas supernet eval --supernet runs/supernet-demo", ""})
final class SupernetEvalCommand implements Callable<Integer> {
    @Option(names = "--supernet", required = true, paramLabel = "DIR", description = "A nas supernet train run directory.")
    Path supernet;
    @Option(names = "--arch", paramLabel = "JSON", description = "Also this subnet (OFA-style JSON, as nas space count); repeatable.")
    List<String> archs = new ArrayList<>();
    @Option(names = "--calibration-images", description = "Images to recalibrate batch norm on (default: the run's setting).")
    Integer calibrationImages;
    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        List<Mbv3Arch> list = new ArrayList<>(List.of(Mbv3Arch.largest(), Mbv3Arch.smallest()));
        for (String a : archs) {
            try {
                list.add(Mbv3Json.parse(a));
            } catch (IllegalArgumentException e) {
                throw new UserError("--arch: " + e.getMessage());
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int t = threads != null ? archway.run.SizeLimits.threads(threads, cores, System.err) : cores;
        List<SubnetAccuracy> r = SupernetEvaluation.measure(supernet, list, calibrationImages, t);
        for (int i = 0; i < r.size(); i++) {
            SubnetAccuracy a = r.get(i);
            String name = i == 0 ? "largest" : i == 1 ? "smallest" : "arch " + (i - 1);
            System.out.printf(Locale.ROOT, "%-9s test accuracy %6.2f%%  loss %.4f  params %,d  MACs %,d%n", name,
                    a.accuracy(), a.loss(), a.params(), a.macs());
        }
        return 0;
    }
}
