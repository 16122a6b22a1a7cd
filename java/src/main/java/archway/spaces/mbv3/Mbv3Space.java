package archway.spaces.mbv3;

import archway.runtime.Activation;
import java.util.List;

/**
 * The once-for-all MobileNetV3 space (width multiplier 1.0) as docs/MBV3.md pins it: a fixed stem and first
 * block, five elastic stages of four layer slots each, a fixed head.
 */
public final class Mbv3Space {
    public static final int STAGES = 5;
    public static final int SLOTS_PER_STAGE = 4;
    public static final int SLOTS = STAGES * SLOTS_PER_STAGE;

    public static final int STEM_CHANNELS = 16;
    public static final int[] WIDTHS = {24, 40, 80, 112, 160};
    public static final int[] FIRST_STRIDES = {2, 2, 2, 1, 2};
    public static final Activation[] ACTIVATIONS = {Activation.RELU, Activation.RELU, Activation.HSWISH, Activation.HSWISH, Activation.HSWISH};
    public static final boolean[] SQUEEZE_EXCITE = {false, true, false, true, true};
    public static final int HEAD_CHANNELS = 960;
    public static final int FEATURE_CHANNELS = 1280;

    /** Choice lists; genes are indices into them. */
    public static final List<Integer> DEPTHS = List.of(2, 3, 4);
    public static final List<Integer> KERNELS = List.of(3, 5, 7);
    public static final List<Integer> EXPANDS = List.of(3, 4, 6);

    private Mbv3Space() {
    }

    /**
     * OFA's make_divisible(v, 8): v rounded to the nearest multiple of 8 (at least 8), raised by 8 when rounding
     * lost more than 10%.
     */
    public static int makeDivisible(double v) {
        int rounded = Math.max(8, (int) (v + 4) / 8 * 8);
        return rounded < 0.9 * v ? rounded + 8 : rounded;
    }

    /** Expanded (middle) channels of a layer: make_divisible(Cin * e). */
    public static int middleChannels(int in, int expand) {
        return makeDivisible((double) in * expand);
    }

    /** Squeeze-excite bottleneck channels: make_divisible(Cmid / 4). */
    public static int squeezeChannels(int middle) {
        return makeDivisible(middle / 4.0);
    }

    /** Spatial size after a convolution with kernel k, stride s, padding k/2 (k odd): ceil(h / s). */
    public static int convOut(int h, int stride) {
        return (h - 1) / stride + 1;
    }
}
