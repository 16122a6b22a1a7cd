package archway.cli;

import archway.UserError;
import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.ConvBench;
import archway.runtime.ConvShape;
import archway.runtime.Devices;
import archway.runtime.SiblingConvBench;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nas bench kernel}: times one kernel variant on one shape. The ISA build is chosen per process
 * (ARCHWAY_ISA=baseline|avx2|avx512); the algorithm per call with --variant.
 */
@Command(name = "kernel", header = "Time one kernel variant on one shape; prints one JSON object.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time one kernel variant on one shape (median of --reps calls after --warmup). Prints one JSON object.",
                "",
                "Ops and variants (winograd: F(2x2, 3x3); winograd_f4: F(4x4, 3x3); docs/ENGINE.md says what each does):",
                "  conv2d-fwd: auto | im2col | padded | direct | depthwise | winograd | wide | lanes | winograd_f4",
                "  conv2d-bwd-data: auto | gemm | padded | direct | wide | depthwise | phases | lanes | winograd | scatter |",
                "    winograd_f4",
                "  conv2d-bwd-filter: auto | gemm | wide | lanes | depthwise | winograd | gather | winograd_f4",
                "  conv2d-siblings-fwd | conv2d-siblings-bwd-data | conv2d-siblings-bwd-filter: auto | separate",
                "The sibling ops time two convolutions of one input (K = both output counts, --split the first's): auto is "
                + "the library's sibling call, merged where a Winograd kernel takes the merged shape; separate is two calls. "
                + "The ISA build (baseline | avx2 | avx512) is chosen per process with the environment variable "
                + "ARCHWAY_ISA; see nas devices.",
                "",
                "Example: nas bench kernel --op conv2d-fwd --variant winograd --shape 64,16,32,32,16,3,1,1 --explain"})
final class BenchKernelCommand implements Callable<Integer> {
    @Option(names = "--op", defaultValue = "conv2d-fwd", description = "conv2d-fwd | conv2d-bwd-data | conv2d-bwd-filter | "
            + "conv2d-siblings-fwd | conv2d-siblings-bwd-data | conv2d-siblings-bwd-filter (default ${DEFAULT-VALUE}).")
    String op;
    @Option(names = "--split", description = "Sibling ops: output channels of the first convolution (default: K / 2).")
    Integer split;
    @Option(names = "--variant", defaultValue = "auto", description = "Algorithm (default ${DEFAULT-VALUE}: the library's choice).")
    String variant;
    @Option(names = "--shape", required = true,
            description = "N,C,H,W,K,KERNEL,STRIDE,PAD[,DILATION[,GROUPS]] of a square convolution.")
    String shape;
    @Option(names = "--reps", defaultValue = "20", description = "Timed calls (default ${DEFAULT-VALUE}).")
    int reps;
    @Option(names = "--warmup", defaultValue = "3", description = "Untimed calls first (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;
    @Option(names = "--explain", description = "Also print (stderr) which variant auto picks for the shape and the variants that apply.")
    boolean explain;
    @Option(names = "--json", description = "Print the JSON object only (no human summary on stderr).")
    boolean json;
    @Option(names = "--out", description = "Also write the JSON object to this file.")
    Path out;

    @Override
    public Integer call() {
        boolean siblings = op.startsWith("conv2d-siblings-");
        ConvBench.Pass o = switch (siblings ? "conv2d-" + op.substring("conv2d-siblings-".length()) : op) {
            case "conv2d-fwd" -> ConvBench.Pass.FORWARD;
            case "conv2d-bwd-data" -> ConvBench.Pass.DATA_GRADIENT;
            case "conv2d-bwd-filter" -> ConvBench.Pass.WEIGHT_GRADIENT;
            default -> throw new UserError("unknown --op '" + op + "' (known: conv2d-fwd, conv2d-bwd-data, conv2d-bwd-filter, "
                    + "conv2d-siblings-fwd, conv2d-siblings-bwd-data, conv2d-siblings-bwd-filter)");
        };
        if (siblings) {
            return siblings(o);
        }
        if (split != null) {
            throw new UserError("--split applies to the conv2d-siblings-* ops only");
        }
        requireVariant(ConvBench.variants(o));
        int[] s = parseShape(shape);
        int t = threadCount();
        Backend backend = Backends.standard();
        backend.threads(t);
        ConvBench conv;
        try {
            conv = new ConvBench(convShape(s));
        } catch (IllegalArgumentException e) {
            throw new UserError("--shape: " + e.getMessage());
        }
        try (conv; BufferArena arena = backend.arena()) {
            Buffer x = BenchData.images(backend, arena, conv.inputSize(), 1, 0);
            Buffer w = BenchData.images(backend, arena, conv.weightSize(), 1, 1);
            Buffer y = BenchData.images(backend, arena, conv.outputSize(), 1, 2);
            String chosen = conv.choice(o);
            if (!conv.run(o, variant, x, w, y)) {
                throw new UserError("--variant " + variant + " does not apply to this shape in the " + isaName()
                        + " build (applicable: " + applicable(conv, o, x, w, y) + ")");
            }
            double median = report(s, t, null, chosen, 2.0 * conv.macs(), () -> conv.run(o, variant, x, w, y));
            if (!json) {
                System.err.printf("%s %s (%s build) %s: %.3f ms median, %.1f GFLOP/s%n", op, variant, isaName(), shape,
                        median, 2.0 * conv.macs() / (median * 1e6));
            }
            if (explain) {
                System.err.printf("auto picks %s for this shape in the %s build; variants that apply: %s%n",
                        chosen, isaName(), applicable(conv, o, x, w, y));
            }
        }
        return 0;
    }

    /** --variant must name one of {@code known} for this op: else one line, exit 2. */
    private void requireVariant(java.util.List<String> known) {
        if (!known.contains(variant)) {
            throw new UserError("--variant: unknown " + op + " variant '" + variant + "' (known: "
                    + String.join(", ", known) + ")");
        }
    }

    /** The parsed --shape (N,C,H,W,K,KERNEL,STRIDE,PAD[,DILATION,GROUPS]) as a convolution. */
    private static ConvShape convShape(int[] s) {
        return new ConvShape(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
    }

    /** The conv2d-siblings-* ops: the two convolutions of one input, as the library's sibling call or separately. */
    private Integer siblings(ConvBench.Pass o) {
        requireVariant(SiblingConvBench.VARIANTS);
        int[] s = parseShape(shape);
        int t = threadCount();
        int k1 = split != null ? split : s[4] / 2;
        Backend backend = Backends.standard();
        backend.threads(t);
        SiblingConvBench conv;
        try {
            conv = new SiblingConvBench(convShape(s), k1);
        } catch (IllegalArgumentException e) {
            throw new UserError("--shape / --split: " + e.getMessage());
        }
        try (conv; BufferArena arena = backend.arena()) {
            Buffer x = BenchData.images(backend, arena, conv.inputSize(), 1, 0);
            Buffer w1 = BenchData.images(backend, arena, conv.firstWeightSize(), 1, 1);
            Buffer w2 = BenchData.images(backend, arena, conv.secondWeightSize(), 1, 2);
            Buffer y1 = BenchData.images(backend, arena, conv.firstOutputSize(), 1, 3);
            Buffer y2 = BenchData.images(backend, arena, conv.secondOutputSize(), 1, 4);
            String chosen = conv.choice(o);
            double median = report(s, t, k1, chosen, 2.0 * conv.macs(), () -> conv.run(o, variant, x, w1, w2, y1, y2));
            if (!json) {
                System.err.printf("%s %s (%s build) %s split %d: %.3f ms median, %.1f GFLOP/s%n", op, variant, isaName(),
                        shape, k1, median, 2.0 * conv.macs() / (median * 1e6));
            }
            if (explain) {
                System.err.printf("auto runs this pair as %s in the %s build%n",
                        chosen.equals("separate") ? "two calls (as separate)" : "one " + chosen + " call", isaName());
            }
        }
        return 0;
    }

    /**
     * Times {@code call} (--warmup untimed, then --reps timed calls), prints the JSON result (to --out too) and
     * returns the median in ms. {@code split}: the sibling ops' first output count, null for the others.
     */
    private double report(int[] s, int t, Integer split, String chosen, double flops, Runnable call) {
        double[] ms = new double[reps];
        for (int i = -warmup; i < reps; i++) {
            long t0 = System.nanoTime();
            call.run();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        double median = ms[reps / 2];
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("bench", "kernel");
        r.put("op", op);
        r.put("variant", variant);
        if (split != null) {
            r.put("split", split);
        }
        r.put("auto_choice", chosen);
        r.put("isa", isaName());
        r.put("shape", Map.of("n", s[0], "c", s[1], "h", s[2], "w", s[3], "k", s[4], "kernel", s[5], "stride", s[6],
                "pad", s[7], "dilation", s[8], "groups", s[9]));
        r.put("threads", t);
        r.put("reps", reps);
        r.put("ms_median", median);
        r.put("ms_min", ms[0]);
        r.put("ms_max", ms[reps - 1]);
        r.put("gflops_per_s", flops / (median * 1e6));
        r.put("cpu_features", Devices.cpuFeatures());
        BenchData.emit(r, out);
        return median;
    }

    /** Checks --reps, --warmup and --threads; the thread count to run with (all cores by default). */
    private int threadCount() {
        if (reps < 1 || warmup < 0 || (threads != null && threads < 1)) {
            throw new UserError("need --reps >= 1, --warmup >= 0, --threads >= 1");
        }
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    private static String isaName() {
        return Devices.cpuFeatures().split(" ", 2)[0];
    }

    private static String applicable(ConvBench conv, ConvBench.Pass p, Buffer x, Buffer w, Buffer y) {
        StringBuilder sb = new StringBuilder();
        for (String v : ConvBench.variants(p)) {
            if (!v.equals("auto") && conv.run(p, v, x, w, y)) {
                sb.append(sb.isEmpty() ? "" : ", ").append(v);
            }
        }
        return sb.toString();
    }

    /** N,C,H,W,K,KERNEL,STRIDE,PAD[,DILATION[,GROUPS]] -> 10 ints (dilation 1, groups 1 by default). */
    static int[] parseShape(String text) {
        String[] parts = text.split(",");
        if (parts.length < 8 || parts.length > 10) {
            throw new UserError("--shape needs N,C,H,W,K,KERNEL,STRIDE,PAD[,DILATION[,GROUPS]], got '" + text + "'");
        }
        int[] s = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        for (int i = 0; i < parts.length; i++) {
            try {
                s[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError("--shape: '" + parts[i] + "' is not an integer");
            }
        }
        return s;
    }
}
