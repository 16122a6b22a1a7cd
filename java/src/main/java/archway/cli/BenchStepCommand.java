package archway.cli;

import archway.UserError;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.Devices;
import archway.search.SearchConfig;
import archway.search.SearchStep;
import archway.search.SimplexMap;
import archway.train.PeakMemory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nas bench step}: K full search steps (architecture step on one random batch + weight step on
 * another, exactly what {@code nas search} does per batch) after W warm-up steps; prints one JSON
 * object with throughput, per-phase times, a latency distribution and the peak RSS.
 */
@Command(name = "step", header = "Time full differentiable-search steps on random data; prints one JSON object.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time full differentiable-search steps (arch step + weight step) on random data. "
                + "images_per_s counts both batches of a step (2 x batch images). Prints one JSON object."})
final class BenchStepCommand implements Callable<Integer> {
    /** Philox purposes of the benchmark's random data (distinct from the engine's). */
    private static final int PURPOSE_ALPHA = 903;
    static final List<String> ALGOS = List.of("darts", "darts2", "a2m", "zo-darts-plus");

    @Option(names = "--space", defaultValue = "nb201", description = "Search space: nb201 (default ${DEFAULT-VALUE}).")
    String space;
    @Option(names = "--algo", defaultValue = "darts",
            description = "darts | darts2 | a2m | zo-darts-plus (default ${DEFAULT-VALUE}).")
    String algo;
    @Option(names = "--batch", defaultValue = "64", description = "Batch size of each of the two batches (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--size", defaultValue = "32", description = "Image height = width (default ${DEFAULT-VALUE}).")
    int size;
    @Option(names = "--in-channels", defaultValue = "3", description = "Image channels (default ${DEFAULT-VALUE}).")
    int inChannels;
    @Option(names = "--channels", defaultValue = "16", description = "Supernet channels C (default ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--cells", defaultValue = "5", description = "Cells per stage N (default ${DEFAULT-VALUE}).")
    int cells;
    @Option(names = "--classes", defaultValue = "10", description = "Classes (default ${DEFAULT-VALUE}).")
    int classes;
    @Option(names = "--steps", defaultValue = "10", description = "Timed steps K (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--warmup", defaultValue = "2", description = "Untimed warm-up steps W (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;
    @CommandLine.Mixin
    DeviceOptions device = new DeviceOptions();
    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--simplex", defaultValue = "softmax",
            description = "Mixing weights: softmax | sparsemax (exact zeros; their ops are skipped) (default ${DEFAULT-VALUE}).")
    String simplex;
    @Option(names = "--temperature", defaultValue = "1", description = "Simplex temperature T, p = map(alpha / T) (default ${DEFAULT-VALUE}).")
    double temperature;
    @Option(names = "--alpha-scale", description = "Initialise alpha as this times N(0,1) instead of the search's 1e-3 "
            + "(sparsemax needs spread alphas to produce zeros).")
    Double alphaScale;
    @Option(names = "--json", description = "Print the JSON object only (no human summary on stderr).")
    boolean json;
    @Option(names = "--out", description = "Also write the JSON object to this file.")
    Path out;

    @Override
    public Integer call() {
        device.choice(); // a malformed --device is reported before the other checks
        if (!ALGOS.contains(algo)) {
            throw new UserError("unknown --algo '" + algo + "' (known: " + String.join(", ", ALGOS) + ")");
        }
        if (archway.search.Algorithm.parse(algo).zerothOrder()) {
            throw new UserError("--algo " + algo + " is not available in this harness (it runs the gradient family's step)");
        }
        if (batch < 2 || size < 1 || inChannels < 1 || channels < 1 || cells < 1 || classes < 2 || steps < 1
                || warmup < 0 || (threads != null && threads < 1)) {
            throw new UserError("need --batch >= 2, --classes >= 2, --steps >= 1, --warmup >= 0 and positive sizes, channels, cells, threads");
        }
        if (!"softmax".equals(simplex) && !"sparsemax".equals(simplex)) {
            throw new UserError("unknown --simplex '" + simplex + "' (known: softmax, sparsemax)");
        }
        if (!(temperature > 0)) {
            throw new UserError("--temperature must be > 0");
        }
        device.select();
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SearchConfig cfg;
        try {
            cfg = SearchConfig.defaults(space, algo, "darts", "random", Path.of("."))
                    .withSize(1, channels, cells, batch).withSeed(seed, t);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Map<String, Object> r = run(cfg, t);
        BenchData.emit(r, out);
        if (!json) {
            System.err.printf("%s %s B=%d %dx%dx%d C=%d N=%d threads=%d: %.1f images/s, %.3f s/step, peak RSS %.0f MiB%n",
                    space, algo, batch, inChannels, size, size, channels, cells, t, r.get("images_per_s"),
                    r.get("sec_per_step"), r.get("peak_rss_mb"));
        }
        return 0;
    }

    private Map<String, Object> run(SearchConfig cfg, int t) {
        float lr = (float) cfg.weights().lr();
        long imageFloats = (long) batch * inChannels * size * size;
        SimplexMap.Kind kind = "sparsemax".equals(simplex) ? SimplexMap.Kind.SPARSEMAX : SimplexMap.Kind.SOFTMAX;
        try (SearchStep step = SearchStep.standalone(cfg, inChannels, size, size, classes, kind, temperature);
             BufferArena data = step.network().params().backend().arena()) {
            Backend backend = step.network().params().backend();
            if (alphaScale != null) {
                double[] a = step.alpha();
                float[] z = backend.normalToHost(a.length, seed, PURPOSE_ALPHA, 0);
                for (int i = 0; i < a.length; i++) {
                    a[i] = alphaScale * z[i];
                }
            }
            double zeroFraction = zeroFraction(step);
            Buffer[] images = new Buffer[2];
            Buffer[] labels = new Buffer[2];
            for (int i = 0; i < 2; i++) {
                images[i] = BenchData.images(backend, data, imageFloats, seed, i);
                labels[i] = BenchData.labels(backend, data, batch, classes, seed, i);
            }
            long setupStart = System.nanoTime();
            for (int i = 0; i < warmup; i++) {
                one(step, images, labels, lr, i);
            }
            double warmupSeconds = (System.nanoTime() - setupStart) / 1e9;
            step.resetTimers();
            Histogram hist = new Histogram(3_600_000_000_000L, 3);
            Phase arch = new Phase(), weight = new Phase();
            long wall0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                long s0 = System.nanoTime();
                long f0 = step.forwardNanos(), b0 = step.backwardNanos(), o0 = step.optimizerNanos();
                step.arch(images[1], labels[1], images[0], labels[0], lr);
                long s1 = System.nanoTime();
                long f1 = step.forwardNanos(), b1 = step.backwardNanos(), o1 = step.optimizerNanos();
                arch.add(s1 - s0, f1 - f0, b1 - b0, o1 - o0);
                step.prepareWeight(images[0], labels[0], 0, warmup + i);
                float loss = step.weightForward();
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("benchmark loss became " + loss + " at step " + (i + 1));
                }
                step.weightUpdate(lr);
                long s2 = System.nanoTime();
                weight.add(s2 - s1, step.forwardNanos() - f1, step.backwardNanos() - b1, step.optimizerNanos() - o1);
                hist.recordValue(Math.max(1, s2 - s0));
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            Network net = step.network();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("bench", "step");
            r.put("engine", "archway");
            r.put("device", backend.name());
            r.put("space", space);
            r.put("algo", algo);
            r.put("simplex", simplex);
            r.put("temperature", temperature);
            r.put("zero_weight_fraction_start", zeroFraction);
            r.put("zero_weight_fraction_end", zeroFraction(step));
            r.put("batch", batch);
            r.put("size", size);
            r.put("in_channels", inChannels);
            r.put("channels", channels);
            r.put("cells", cells);
            r.put("classes", classes);
            r.put("threads", t);
            r.put("native_threads", backend.threads());
            r.put("steps", steps);
            r.put("warmup", warmup);
            r.put("images_per_step", 2 * batch);
            r.put("images_per_s", 2.0 * batch * steps / wall);
            r.put("sec_per_step", wall / steps);
            r.put("peak_rss_mb", PeakMemory.peakRssMb());
            r.put("warmup_seconds", warmupSeconds);
            r.put("total_seconds", wall);
            Map<String, Object> phases = new LinkedHashMap<>();
            phases.put("forward_s", (arch.fwd + weight.fwd) / 1e9 / steps);
            phases.put("backward_s", (arch.bwd + weight.bwd) / 1e9 / steps);
            phases.put("optimizer_s", (arch.opt + weight.opt) / 1e9 / steps);
            phases.put("other_s", (arch.other() + weight.other()) / 1e9 / steps);
            phases.put("arch_step_s", arch.total / 1e9 / steps);
            phases.put("weight_step_s", weight.total / 1e9 / steps);
            phases.put("arch", arch.perStep(steps));
            phases.put("weight", weight.perStep(steps));
            r.put("phases_per_step", phases);
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("min", hist.getMinValue() / 1e6);
            lat.put("p50", hist.getValueAtPercentile(50) / 1e6);
            lat.put("p90", hist.getValueAtPercentile(90) / 1e6);
            lat.put("p99", hist.getValueAtPercentile(99) / 1e6);
            lat.put("max", hist.getMaxValue() / 1e6);
            lat.put("mean", hist.getMean() / 1e6);
            lat.put("count", hist.getTotalCount());
            r.put("step_latency_ms", lat);
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("workspace_mb", net.workspaceBytes() / 1048576.0);
            mem.put("weights", net.params().flatLength(ValueKind.WEIGHT));
            r.put("memory", mem);
            r.put("macs_per_sample", net.macsPerSample());
            Map<String, Long> prof = new java.util.HashMap<>();
            for (archway.graph.Plan p : step.plans()) {
                p.profileNanos().forEach((k, v) -> prof.merge(k, v, Long::sum));
            }
            if (!prof.isEmpty()) {
                Map<String, Object> top = new LinkedHashMap<>();
                prof.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> top.put(e.getKey(), e.getValue() / 1e9 / steps));
                r.put("profile_s_per_step", top);
            }
            r.put("java", Runtime.version().toString());
            r.put("cpu_features", Devices.cpuFeatures());
            r.put("host_pages", Devices.hostPages());
            r.put("nproc", Runtime.getRuntime().availableProcessors());
            return r;
        }
    }

    private static void one(SearchStep step, Buffer[] images, Buffer[] labels, float lr, int i) {
        step.arch(images[1], labels[1], images[0], labels[0], lr);
        step.prepareWeight(images[0], labels[0], 0, i);
        step.weightForward();
        step.weightUpdate(lr);
    }

    /** Time of one kind of step, split into forward / backward / optimiser / the rest. */
    private static final class Phase {
        long total, fwd, bwd, opt;

        void add(long t, long f, long b, long o) {
            total += t;
            fwd += f;
            bwd += b;
            opt += o;
        }

        long other() { return total - fwd - bwd - opt; }

        Map<String, Object> perStep(int steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total_s", total / 1e9 / steps);
            m.put("forward_s", fwd / 1e9 / steps);
            m.put("backward_s", bwd / 1e9 / steps);
            m.put("optimizer_s", opt / 1e9 / steps);
            m.put("other_s", other() / 1e9 / steps);
            return m;
        }
    }

    /** Share of mixing weights that are exactly zero (ops skipped) at the step's current alpha. */
    private static double zeroFraction(SearchStep step) {
        double[] p = step.mixingWeights();
        long zeros = java.util.Arrays.stream(p).filter(v -> v == 0).count();
        return zeros / (double) p.length;
    }
}
