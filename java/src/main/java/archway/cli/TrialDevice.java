package archway.cli;

import archway.UserError;
import archway.runtime.Backend;
import archway.runtime.DeviceChoice;

/**
 * {@code --device} of an evolutionary search: the backend its trials run on when they run on this machine. A GPU
 * runs one trial at a time (the backend is the process's); on a cluster each worker chooses its own device. The
 * trials then go through {@link archway.trial.DeviceBoundEvaluator}, which makes the device current on the runner's
 * thread.
 */
final class TrialDevice {
    private TrialDevice() {
    }

    /**
     * Selects the backend for trials here (a missing GPU is one error line); refuses a device with --cluster or
     * with more than one slot.
     */
    static Backend select(DeviceOptions device, boolean cluster, int slots) {
        DeviceChoice choice = device.choice();
        if (choice.kind() != DeviceChoice.Kind.CPU) {
            if (cluster) {
                throw new UserError("--device: with --cluster the trials run on the workers, and each worker chooses "
                        + "its own device (nas worker --device cuda --gpus I); leave --device out here");
            }
            if (slots > 1) {
                throw new UserError("--device " + choice + " runs one trial at a time: leave --slots out (for several "
                        + "GPUs, run one nas worker per GPU with --device cuda --gpus I and search with --cluster)");
            }
        }
        return device.select();
    }
}
