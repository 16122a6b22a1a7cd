package archway.cli;

import archway.UserError;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3Json;
import archway.spaces.mbv3.Mbv3Network;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas space count}: exact parameter and MAC counts of one architecture. */
@Command(name = "count", header = "Print the exact parameter and MAC counts of one architecture.",
        mixinStandardHelpOptions = true,
        description = {"Print the exact parameter and multiply-accumulate counts of one architecture, "
                + "taken from its traced graph (and checked against the analytic count).",
                "",
                "params: all weights and biases plus BN's 2 per channel; MACs: convolutions and linear "
                + "layers for one image at the given resolution (docs/MBV3.md)."},
        footer = {"", "Example:",
                "  nas space count --space mbv3 --in-channels 1 --resolution 28 --classes 10 --json \\",
                "    --arch '{\"ks\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"d\":[2,2,2,2,2]}'"})
final class SpaceCountCommand implements Callable<Integer> {
    @Option(names = "--space", required = true, paramLabel = "SPACE", description = "mbv3 (the once-for-all MobileNetV3 space).")
    String space;

    @Option(names = "--arch", required = true, paramLabel = "JSON",
            description = "OFA-style JSON: {\"ks\":[20 kernels], \"e\":[20 expand ratios], \"d\":[5 depths], \"r\":R (optional)}.")
    String arch;

    @Option(names = "--in-channels", defaultValue = "3", paramLabel = "C", description = "Image channels (default: ${DEFAULT-VALUE}).")
    int inChannels;

    @Option(names = "--resolution", paramLabel = "R", description = "Input height = width (default: the arch's \"r\").")
    Integer resolution;

    @Option(names = "--classes", defaultValue = "10", paramLabel = "K", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--json", description = "Print {\"params\": ..., \"macs\": ...}.")
    boolean json;

    @Override
    public Integer call() {
        if (!space.equals("mbv3")) {
            throw new UserError("--space " + space + ": counting supports mbv3 only");
        }
        Mbv3Arch a;
        try {
            a = Mbv3Json.parse(arch);
        } catch (IllegalArgumentException e) {
            throw new UserError("--arch: " + e.getMessage());
        }
        if (resolution != null && a.resolution() > 0 && resolution != a.resolution()) {
            throw new UserError("--resolution " + resolution + " disagrees with the arch's \"r\":" + a.resolution());
        }
        int r = resolution != null ? resolution : a.resolution();
        if (r < 1) {
            throw new UserError(resolution == null ? "give --resolution (the arch has no \"r\")" : "--resolution must be positive, got " + r);
        }
        if (inChannels < 1 || classes < 1) {
            throw new UserError("--in-channels and --classes must be positive");
        }
        Mbv3Count c = Mbv3Network.tracedCount(a, inChannels, r, classes);
        Mbv3Count analytic = Mbv3Count.of(a, inChannels, r, classes);
        if (!c.equals(analytic)) {
            throw new IllegalStateException("traced counts " + c + " differ from the analytic " + analytic + " for " + arch);
        }
        if (json) {
            System.out.println("{\"params\": " + c.params() + ", \"macs\": " + c.macs() + "}");
        } else {
            System.out.printf(Locale.ROOT, "params  %,d%nMACs    %,d  (one %dx%dx%d image, %d classes)%n", c.params(), c.macs(),
                    inChannels, r, r, classes);
        }
        return 0;
    }
}
