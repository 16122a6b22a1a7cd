package archway.flatnas;

import archway.data.EvalBatches;
import archway.nn.Network;
import archway.spaces.mbv3.Mbv3Arch;
import archway.supernet.Mbv3Supernet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Candidates start from a trained once-for-all supernet: their slices of its shared weights
 * ({@link Mbv3Supernet#initialise}) and batch-norm statistics recalibrated on the first {@link #CALIBRATION_IMAGES}
 * images of the trial's training subset. A supernet is loaded once per process (a worker runs many trials from
 * the same one) and checked against the identity the spec names.
 */
public final class SupernetStart implements InitialWeights {
    /** Training images of the batch-norm recalibration (at most the trial's subset). */
    public static final int CALIBRATION_IMAGES = 256;

    private static final Map<SupernetRef, Mbv3Supernet> LOADED = new ConcurrentHashMap<>();

    private final Mbv3Supernet supernet;

    public SupernetStart(Mbv3Supernet supernet) {
        this.supernet = supernet;
    }

    /** The start from the supernet {@code ref} names, loaded once; refused when its weights are not {@code ref}'s. */
    static SupernetStart of(SupernetRef ref) {
        Mbv3Supernet s = LOADED.computeIfAbsent(ref, r -> {
            Mbv3Supernet loaded = Mbv3Supernet.load(Path.of(r.dir()));
            if (!loaded.identity().equals(r.identity())) {
                loaded.close();
                throw new IllegalArgumentException("supernet " + r.dir() + " holds other weights than the trial names ("
                        + "identity " + r.identity() + ")");
            }
            return loaded;
        });
        return new SupernetStart(s);
    }

    @Override
    public void apply(Mbv3Arch arch, Network net, Calibration c) {
        int[] images = Arrays.copyOf(c.images(), Math.min(CALIBRATION_IMAGES, c.images().length));
        try (EvalBatches batches = new EvalBatches(c.train(), images, Math.min(c.batch(), images.length), c.stats())) {
            supernet.initialise(net, arch, batches);
        }
    }
}
