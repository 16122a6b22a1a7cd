package archway.bindings.cpu;

/** Elementwise activations of {@link ActivationKernels}; the ordinal is the ABI code in archway.h. */
public enum Activation {
    /** max(x, 0). */
    RELU,
    /** 1 / (1 + e^-x). */
    SIGMOID,
    /** x relu6(x + 3) / 6. */
    HSWISH,
    /** relu6(x + 3) / 6. */
    HSIGMOID;

    /** The {@code ARCHWAY_ACT_*} code. */
    public int code() {
        return ordinal();
    }
}
