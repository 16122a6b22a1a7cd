package archway.flatnas;

import archway.nn.Network;
import archway.spaces.mbv3.Mbv3Arch;
import archway.trial.TrialSpec;

/**
 * Where a FlatNAS candidate's weights start before its short training: the seam between the trial evaluator and
 * any source of trained weights. {@link #FRESH} keeps the network's own seeded initialisation (training from
 * scratch); a once-for-all supernet would slice the candidate's weights from its shared ones. The source is chosen
 * from the spec alone ({@link #of}), so a worker reproduces it, and a source that changes the result must be named
 * in the spec's settings (so that it changes the trial id).
 */
@FunctionalInterface
public interface InitialWeights {
    /** Spec setting naming a supernet to start from (read by a supernet-aware {@link #of}; refused here). */
    String SUPERNET_SETTING = "supernet";

    /**
     * Sets the starting weights (and BN statistics, if it has them) of {@code net}, the network of {@code arch},
     * whose parameters are allocated and hold the seeded initialisation.
     */
    void apply(Mbv3Arch arch, Network net) throws Exception;

    /** Training from scratch: the network's seeded initialisation as it is. */
    InitialWeights FRESH = (arch, net) -> { };

    /** The starting weights a spec asks for: fresh, since this build has no supernet to start from. */
    static InitialWeights of(TrialSpec spec) {
        if (spec.settings().containsKey(SUPERNET_SETTING)) {
            throw new IllegalArgumentException("this build cannot start candidates from a supernet (setting '"
                    + SUPERNET_SETTING + "' = " + spec.settings().get(SUPERNET_SETTING) + ")");
        }
        return FRESH;
    }
}
