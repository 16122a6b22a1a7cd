package archway.cli;

import archway.UserError;
import archway.run.RunDirectory;
import archway.runtime.Backends;
import archway.runtime.DeviceChoice;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every run command (train, search) shares: data, batch, seed, device, threads, output and resume. */
final class RunOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist-mini",
            description = "fashion-mnist-mini (bundled) | fashion-mnist | cifar10 | cifar100 | medmnist (default ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data-dir", description = "Directory (or .npz file) holding the dataset when it is not bundled.")
    Path dataDir;
    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of weights, alpha, shuffling and augmentation (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "CPU threads (default: all cores); results are reproducible per thread count.")
    Integer threads;
    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu | cuda | cuda:N (default ${DEFAULT-VALUE}; the CUDA backend is unverified on hardware).")
    String device;
    @Option(names = "--train-limit", defaultValue = "0",
            description = "Use a seeded random subset of this many training images (0 = all; for quick checks).")
    int trainLimit;
    @Option(names = "--out", description = "Run directory (default runs/<command>-<space>-<dataset>-<time>).")
    Path out;
    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (same flags).")
    boolean resume;

    /** Parses --device and makes its backend the process default (a missing GPU is one error line, exit 2). */
    void selectDevice() {
        Backends.select(DeviceChoice.parse(device));
    }

    int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** --out, or a fresh time-stamped folder under runs/; --resume needs an explicit --out. */
    Path directory(String prefix, String space) {
        if (resume && out == null) {
            throw new UserError("--resume needs --out DIR (the run to continue)");
        }
        return out != null ? out : RunDirectory.defaultPath(Path.of("."), prefix, space, dataset);
    }
}
