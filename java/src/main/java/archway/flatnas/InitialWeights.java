package archway.flatnas;

import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.nn.Network;
import archway.spaces.mbv3.Mbv3Arch;
import archway.trial.TrialSpec;

/**
 * Where a FlatNAS candidate's weights start before its short training: the seam between the trial evaluator and
 * any source of trained weights. {@link #FRESH} keeps the network's own seeded initialisation (training from
 * scratch); {@link SupernetStart} slices the candidate's weights from a trained once-for-all supernet and
 * recalibrates its batch-norm statistics. The source is chosen from the spec alone ({@link #of}), so a worker
 * reproduces it, and a source that changes the result is named in the spec's settings (so it changes the trial id).
 */
@FunctionalInterface
public interface InitialWeights {
    /**
     * Training images a start may use (e.g. to recalibrate batch-norm statistics): the trial's seeded training
     * subset, normalised with {@code stats}, in batches of {@code batch}.
     */
    record Calibration(Dataset train, int[] images, ChannelStats stats, int batch) { }

    /**
     * Sets the starting weights (and BN statistics, if it has them) of {@code net}, the network of {@code arch},
     * whose parameters are allocated and hold the seeded initialisation.
     */
    void apply(Mbv3Arch arch, Network net, Calibration calibration) throws Exception;

    /** Training from scratch: the network's seeded initialisation as it is. */
    InitialWeights FRESH = (arch, net, calibration) -> { };

    /** The starting weights a spec asks for: its supernet when it names one, else fresh. */
    static InitialWeights of(TrialSpec spec) {
        SupernetRef ref = SupernetRef.from(spec.settings());
        return ref == null ? FRESH : SupernetStart.of(ref);
    }
}
