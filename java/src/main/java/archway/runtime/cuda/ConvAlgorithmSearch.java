package archway.runtime.cuda;

/**
 * How the CUDA backend chooses a convolution algorithm for each shape and pass (once, then cached).
 * <ul>
 * <li>{@code heuristic} (the default): the best-ranked deterministic algorithm of cuDNN's heuristic. It
 * costs no device time.</li>
 * <li>{@code find}: every candidate runs once on the device on random data, and the fastest deterministic
 * one wins. This is cuDNN's Find*Ex, as PyTorch's {@code cudnn.benchmark} does it.</li>
 * </ul>
 * Selected with {@code -Darchway.cuda.conv.algo=heuristic|find}. {@code find} is unverified on hardware:
 * no GPU run has used it yet (bench/gpu/check.sh times both).
 */
public enum ConvAlgorithmSearch {
    HEURISTIC("heuristic"),
    TIMED("find");

    public static final String PROPERTY = "archway.cuda.conv.algo";

    private final String value;

    ConvAlgorithmSearch(String value) {
        this.value = value;
    }

    /** The value of {@link #PROPERTY} that selects this search. */
    public String value() { return value; }

    /** The search {@link #PROPERTY} selects (heuristic when unset). */
    public static ConvAlgorithmSearch configured() {
        return parse(System.getProperty(PROPERTY, HEURISTIC.value));
    }

    public static ConvAlgorithmSearch parse(String value) {
        for (ConvAlgorithmSearch s : values()) {
            if (s.value.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("-D" + PROPERTY + " must be heuristic or find, got '" + value + "'");
    }
}
