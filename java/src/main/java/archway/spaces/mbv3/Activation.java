package archway.spaces.mbv3;

/** The activations of the MobileNetV3 space. */
public enum Activation {
    RELU, HSWISH
}
