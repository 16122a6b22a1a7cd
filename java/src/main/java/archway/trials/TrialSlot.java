package archway.trials;

/**
 * Where a trial runs: the slot index on its machine and, on a GPU machine, the device index it owns.
 *
 * @param index slot index on this machine (0..slots-1)
 * @param gpu   CUDA device index for this slot, or -1 on the CPU
 */
public record TrialSlot(int index, int gpu) {
    public static final TrialSlot LOCAL = new TrialSlot(0, -1);
}
