package archway.cli;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.DeviceChoice;
import picocli.CommandLine.Option;

/**
 * {@code --device cpu|cuda|cuda:N} for the commands that run the engine in this process (train, search,
 * bench step, bench train) and for the trials that retrain and the evolutionary searches run here ({@link TrialDevice}); trials
 * on cluster workers run on each worker's own device.
 */
final class DeviceOptions {
    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu | cuda | cuda:N (default ${DEFAULT-VALUE}). CUDA ran on an H200 for nas train, DARTS searches "
                    + "and bench step; other search algorithms on CUDA are unverified on hardware (README: Running on a GPU).")
    String device;

    /** The parsed choice; a malformed value is one error line, exit 2. */
    DeviceChoice choice() {
        return DeviceChoice.parse(device);
    }

    /** Makes the chosen backend the process default (a missing GPU is one error line naming it, exit 2). */
    Backend select() {
        return Backends.select(choice());
    }
}
