package archway.flatnas;

/** Names of the metrics a FlatNAS trial reports. */
public final class FlatnasMetrics {
    /** Test error in percent (100 - accuracy). */
    public static final String ERROR = "error";
    /** Flatness R: mean absolute accuracy change (points) under multiplicative Gaussian weight noise. */
    public static final String FLATNESS = "flatness";
    public static final String PARAMS = "params";
    public static final String MACS = "macs";

    private FlatnasMetrics() {
    }
}
