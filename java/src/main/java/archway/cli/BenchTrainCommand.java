package archway.cli;

import archway.UserError;
import archway.graph.Mode;
import archway.graph.Plan;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.optim.GradientClip;
import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.Devices;
import archway.optim.Sgd;
import archway.spaces.SpaceNetworks;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Json;
import archway.spaces.mbv3.Mbv3Network;
import archway.train.PeakMemory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nas bench train}: K training steps of one discrete network (forward, backward, gradient clip,
 * SGD: exactly the inner loop of {@code nas train}) on one random batch after W warm-up steps; prints
 * one JSON object with throughput, per-phase times and the peak RSS. Its PyTorch peers are
 * bench/pytorch_train_nb201.py and, for an mbv3 subnet, bench/pytorch_train_mbv3.py; bench/compare-peer.sh
 * --what train [--space mbv3] alternates them.
 */
@Command(name = "train", header = "Time training steps of a discrete network on random data; prints one JSON object.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time training steps of a discrete network (forward, backward, clip, SGD) on random data. "
                + "Prints one JSON object. Default: the best NB201 cell, C=16, N=1, batch 64, 1x28x28."})
final class BenchTrainCommand implements Callable<Integer> {
    static final String BEST_NB201 =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    @Option(names = "--space", defaultValue = "nb201",
            description = "Search space: nb201 | darts | mbv3 (default ${DEFAULT-VALUE}; mbv3 ignores --channels and --cells).")
    String space;
    @Option(names = {"--arch", "--genotype"},
            description = "Architecture as for nas train; for mbv3 the OFA-style JSON {\"ks\":[20],\"e\":[20],\"d\":[5]} "
                    + "(default: the best NB201 cell; for mbv3 the largest subnet).")
    String arch;
    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--size", defaultValue = "28", description = "Image height = width (default ${DEFAULT-VALUE}).")
    int size;
    @Option(names = "--in-channels", defaultValue = "1", description = "Image channels (default ${DEFAULT-VALUE}).")
    int inChannels;
    @Option(names = "--channels", defaultValue = "16", description = "Channels C (default ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--cells", defaultValue = "1", description = "Cells per stage N (default ${DEFAULT-VALUE}).")
    int cells;
    @Option(names = "--classes", defaultValue = "10", description = "Classes (default ${DEFAULT-VALUE}).")
    int classes;
    @Option(names = "--steps", defaultValue = "20", description = "Timed steps K (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps W (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;
    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--json", description = "Print the JSON object only (no human summary on stderr).")
    boolean json;
    @Option(names = "--out", description = "Also write the JSON object to this file.")
    Path out;
    @picocli.CommandLine.Mixin
    DeviceOptions device = new DeviceOptions();

    @Override
    public Integer call() {
        device.choice(); // a malformed --device is reported before the other checks
        if (batch < 2 || size < 1 || inChannels < 1 || channels < 1 || cells < 1 || classes < 2 || steps < 1
                || warmup < 0 || (threads != null && threads < 1)) {
            throw new UserError("need --batch >= 2, --classes >= 2, --steps >= 1, --warmup >= 0 and positive sizes, channels, cells, threads");
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (!java.util.List.of("nb201", "darts", "mbv3").contains(space)) {
            throw new UserError("--space: unknown space '" + space + "' (known: nb201, darts, mbv3)");
        }
        Backend backend = device.select();
        backend.threads(t);
        if (arch == null) {
            arch = space.equals("mbv3") ? Mbv3Json.write(Mbv3Arch.largest()) : BEST_NB201;
        }
        var builder = space.equals("mbv3") ? Mbv3Network.discrete(mbv3Arch(arch), classes)
                : SpaceNetworks.discrete(space, arch, channels, cells, classes);
        Map<String, Object> r;
        try (Network net = new Network(backend, builder, inChannels, size, size, seed);
             BufferArena data = backend.arena()) {
            r = run(net, backend, data, t);
        }
        BenchData.emit(r, out);
        if (!json) {
            System.err.printf("train %s B=%d %dx%dx%d C=%d N=%d threads=%d: %.1f images/s, %.4f s/step, peak RSS %.0f MiB%n",
                    space, batch, inChannels, size, size, channels, cells, t, r.get("images_per_s"),
                    r.get("sec_per_step"), r.get("peak_rss_mb"));
        }
        return 0;
    }

    private static Mbv3Arch mbv3Arch(String json) {
        try {
            return Mbv3Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new UserError("--arch: " + e.getMessage());
        }
    }

    private Map<String, Object> run(Network net, Backend backend, BufferArena data, int t) {
        var params = net.params();
        long weightFloats = params.flatLength(ValueKind.WEIGHT);
        Pass pass = net.pass(batch, Mode.TRAIN, ValueKind.WEIGHT);
        Buffer images = BenchData.images(backend, data, (long) batch * inChannels * size * size, seed, 0);
        Buffer labels = BenchData.labels(backend, data, batch, classes, seed, 0);
        long fwd = 0, bwd = 0, opt = 0, load = 0;
        double wall;
        try (Sgd sgd = new Sgd(backend, params.weights(), params.weightGrads(), weightFloats, 0.9f, 5e-4f, true)) {
            for (int i = 0; i < warmup; i++) {
                pass.load(images, labels);
                pass.forward();
                pass.backward();
                GradientClip.clip(params.flat(), params.weightGrads(), weightFloats, 5);
                sgd.step(0.01f);
            }
            Plan plan = pass.plan();
            plan.resetTimers();
            long w0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                long a = System.nanoTime();
                pass.load(images, labels);
                long b = System.nanoTime();
                pass.forward();
                float loss = pass.loss();
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("benchmark loss became " + loss + " at step " + (i + 1));
                }
                long c = System.nanoTime();
                pass.backward();
                long d = System.nanoTime();
                GradientClip.clip(params.flat(), params.weightGrads(), weightFloats, 5);
                sgd.step(0.01f);
                long e = System.nanoTime();
                load += b - a;
                fwd += c - b;
                bwd += d - c;
                opt += e - d;
            }
            params.weights().get(0);  // a device backend finishes the last SGD step before the clock stops
            wall = (System.nanoTime() - w0) / 1e9;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("bench", "train");
        r.put("engine", "archway");
        r.put("space", space);
        r.put("arch", arch);
        r.put("batch", batch);
        r.put("size", size);
        r.put("in_channels", inChannels);
        r.put("channels", channels);
        r.put("cells", cells);
        r.put("classes", classes);
        r.put("threads", t);
        r.put("device", backend.name());
        r.put("steps", steps);
        r.put("warmup", warmup);
        r.put("images_per_s", (double) batch * steps / wall);
        r.put("sec_per_step", wall / steps);
        r.put("peak_rss_mb", PeakMemory.peakRssMb());
        // The plan's arena (activations kept for backward, gradients, scratch tensors): the part of the RSS
        // that rematerialisation and liveness sharing decide.
        r.put("workspace_mb", pass.plan().arenaBytes() / (1024.0 * 1024.0));
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("load_s", load / 1e9 / steps);
        phases.put("forward_s", fwd / 1e9 / steps);
        phases.put("backward_s", bwd / 1e9 / steps);
        phases.put("clip_and_sgd_s", opt / 1e9 / steps);
        r.put("phases_per_step", phases);
        Map<String, Long> prof = pass.plan().profileNanos();
        if (!prof.isEmpty()) {
            Map<String, Object> top = new LinkedHashMap<>();
            prof.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(en -> top.put(en.getKey(), en.getValue() / 1e9 / steps));
            r.put("profile_s_per_step", top);
        }
        r.put("params", params.weightCount());
        r.put("macs_per_sample", net.macsPerSample());
        r.put("cpu_features", Devices.cpuFeatures());
        r.put("host_pages", Devices.hostPages());
        r.put("nproc", Runtime.getRuntime().availableProcessors());
        return r;
    }
}
