package archway.nachos;

/**
 * Names of the metrics a NACHOS trial reports (all doubles, as every trial's). Per exit j (0-based, the final
 * exit last): {@code exit<j>_...}; an exit no test sample left at has no {@code exit<j>_top1}.
 */
public final class NachosMetrics {
    /** Test error (%) of the early-exit network with its tuned thresholds. */
    public static final String ERROR = "error";
    /** Expected MACs per image on the test split: sum_j r_j E_j with the measured exit rates. */
    public static final String MACS = "macs_expected";
    /** MACs of the full network (leaving at the final exit). */
    public static final String MACS_FULL = "macs_full";
    /** Test error (%) of the final exit alone: the same backbone without exits. */
    public static final String BACKBONE_ERROR = "backbone_error";
    /** Validation top-1 (%) and expected MACs after tuning and repair. */
    public static final String VAL_TOP1 = "val_top1";
    public static final String VAL_MACS = "val_macs";
    public static final String PARAMS = "params";
    public static final String EXITS = "exits";

    private NachosMetrics() {
    }

    /** exit{j}_{what}: stage, pool, threshold, rate, top1, alone_top1, macs. */
    public static String exit(int j, String what) {
        return "exit" + j + "_" + what;
    }
}
