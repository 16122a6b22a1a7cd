package archway.runtime;

/** Elementwise activations a backend provides (forward and backward). */
public enum Activation {
    /** max(x, 0). */
    RELU,
    /** 1 / (1 + e^-x). */
    SIGMOID,
    /** x relu6(x + 3) / 6. */
    HSWISH,
    /** relu6(x + 3) / 6. */
    HSIGMOID
}
