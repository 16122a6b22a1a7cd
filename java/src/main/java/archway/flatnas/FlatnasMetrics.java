package archway.flatnas;

/** Names of the metrics a FlatNAS trial reports. */
public final class FlatnasMetrics {
    /** Test error in percent (100 - accuracy). */
    public static final String ERROR = "error";
    /** Flatness R: mean absolute accuracy change (points) under multiplicative Gaussian weight noise. */
    public static final String FLATNESS = "flatness";
    public static final String PARAMS = "params";
    public static final String MACS = "macs";
    /** Mean corruption error in percent (mean over the 15 corruptions of their mean error over 5 severities). */
    public static final String MCE = "mce";
    /** Prefix of each corruption's mean error ({@code mce_gaussian_noise}, ...). */
    public static final String MCE_PREFIX = "mce_";
    /** Error in percent on the clean images the corruption benchmark corrupts (its test subset). */
    public static final String OOD_CLEAN_ERROR = "ood_clean_error";

    private FlatnasMetrics() {
    }
}
