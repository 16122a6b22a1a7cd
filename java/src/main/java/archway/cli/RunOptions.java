package archway.cli;

import archway.UserError;
import archway.run.RunDirectory;
import archway.run.RunLock;
import archway.run.RunStart;
import archway.run.SizeLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Options every run command (train, search) shares: data, batch, seed, threads, output and resume. */
final class RunOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist-mini",
            description = "fashion-mnist-mini (bundled) | fashion-mnist | cifar10 | cifar100 | medmnist (default ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data-dir", description = "Directory (or .npz file) holding the dataset when it is not bundled.")
    Path dataDir;
    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}); at most the images it is drawn from.")
    int batch;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of weights, alpha, shuffling and augmentation (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", description = "CPU threads, 1.." + SizeLimits.MAX_THREADS
            + " (default: all cores); results are reproducible per thread count.")
    Integer threads;
    @Option(names = "--train-limit", defaultValue = "0",
            description = "Use a seeded random subset of this many training images (0 = all; for quick checks).")
    int trainLimit;
    @Option(names = "--out", description = "Run directory (default runs/<command>-<space>-<dataset>-<time>-p<pid>, "
            + "always new). One run at a time: the directory is locked while a run uses it.")
    Path out;
    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (same flags).")
    boolean resume;
    @Option(names = "--resume-from-previous", description = "Continue the run in --out from checkpoint.prev.bin, the "
            + "checkpoint before the latest (when the latest is damaged); same flags.")
    boolean resumeFromPrevious;
    @Option(names = "--overwrite", description = "Replace the run already in --out (its files are removed first; "
            + "without this flag a directory holding a run is refused).")
    boolean overwrite;

    /** The directory this command created by default (removed again when the run fails before using it). */
    private Path created;

    int threadCount() {
        int cores = Runtime.getRuntime().availableProcessors();
        return threads != null ? SizeLimits.threads(threads, cores, System.err) : cores;
    }

    /** How the run treats its directory, from --resume, --resume-from-previous and --overwrite. */
    RunStart start() {
        if (trainLimit < 0) {
            throw new UserError("--train-limit must be >= 0 (0 = all images), got " + trainLimit);
        }
        if (overwrite && (resume || resumeFromPrevious)) {
            throw new UserError("--overwrite starts the run again; it cannot be combined with --resume");
        }
        if ((resume || resumeFromPrevious) && out == null) {
            throw new UserError("--resume needs --out DIR (the run to continue)");
        }
        return resumeFromPrevious ? RunStart.RESUME_FROM_PREVIOUS : resume ? RunStart.RESUME
                : overwrite ? RunStart.OVERWRITE : RunStart.NEW;
    }

    /** --out, or a new directory under runs/ created now under a name no other run can take. */
    Path directory(String prefix, String space) {
        start();
        if (out != null) {
            return out;
        }
        created = RunDirectory.createDefault(Path.of("."), prefix, space, dataset);
        return created;
    }

    /** Removes the default directory again when a run failed before writing anything into it. */
    void discardUnused() {
        if (created == null) {
            return;
        }
        try (Stream<Path> s = Files.list(created)) {
            if (s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE))) {
                Files.deleteIfExists(created.resolve(RunLock.FILE));
                Files.deleteIfExists(created);
            }
        } catch (IOException e) {
            // an empty directory left behind is harmless
        }
    }
}
