package archway.nn;

import archway.runtime.Activation;
import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ops.ActivationOp;
import archway.graph.ops.BatchNormOp;
import archway.graph.ops.ChannelShuffleOp;
import archway.graph.ops.ChannelSliceOp;
import archway.graph.ops.ConcatOp;
import archway.graph.ops.Conv2dOp;
import archway.graph.ops.GlobalAvgPoolOp;
import archway.graph.ops.LinearOp;
import archway.graph.ops.Pool2dOp;
import archway.graph.ops.SpatialShiftOp;

/** Layer builders over the graph ops: each registers its parameters under a dotted name. */
public final class Layers {
    private Layers() {
    }

    /** Convolution without bias; weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static Value conv(Graph g, String name, Value x, int cout, int kernel, int stride, int pad, int dilation,
                             int groups) {
        return Conv2dOp.apply(g, name, x, convWeight(g, name, x, cout, kernel, groups), stride, pad, dilation, groups);
    }

    /** The weight [cout, cin/groups, kernel, kernel] of convolution {@code name}, U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    private static Value convWeight(Graph g, String name, Value x, int cout, int kernel, int groups) {
        ParamStore p = g.params();
        int cinPerGroup = x.c() / groups;
        return g.param(p.weight(name + ".weight", new int[] {cout, cinPerGroup, kernel, kernel},
                new Init.Uniform(cinPerGroup * kernel * kernel)));
    }

    public static Value bn(Graph g, String name, Value x, boolean affine) {
        return BatchNormOp.apply(g, name, x, affine);
    }

    public static Value relu(Graph g, String name, Value x) {
        return ActivationOp.apply(g, name, Activation.RELU, x);
    }

    /**
     * ReLU -> Conv(kernel, stride, pad = dilation*(kernel-1)/2) -> BN, the NAS-Bench-201 / DARTS building block.
     * The ReLU is fused into the convolution's input (never stored; bit-identical to a separate ReLU op).
     */
    public static Value reluConvBn(Graph g, String name, Value x, int cout, int kernel, int stride, int dilation,
                                   boolean affine) {
        Value c = reluConv(g, name + ".conv", x, cout, kernel, stride, dilation * (kernel - 1) / 2, dilation, 1);
        return bn(g, name + ".bn", c, affine);
    }

    /** conv(relu(x)) without bias, the ReLU fused into the convolution's input; weights as {@link #conv}. */
    public static Value reluConv(Graph g, String name, Value x, int cout, int kernel, int stride, int pad, int dilation,
                                 int groups) {
        return Conv2dOp.applyReluInput(g, name, x, convWeight(g, name, x, cout, kernel, groups), stride, pad, dilation,
                groups);
    }

    public static Value avgPool(Graph g, String name, Value x, int kernel, int stride, int pad, boolean countIncludePad) {
        return Pool2dOp.apply(g, name, Pool2dOp.Kind.AVG, x, kernel, stride, pad, countIncludePad);
    }

    public static Value maxPool(Graph g, String name, Value x, int kernel, int stride, int pad) {
        return Pool2dOp.apply(g, name, Pool2dOp.Kind.MAX, x, kernel, stride, pad, false);
    }

    public static Value globalAvgPool(Graph g, String name, Value x) {
        return GlobalAvgPoolOp.apply(g, name, x);
    }

    /** Fully connected layer with bias, PyTorch default initialisation. */
    public static Value linear(Graph g, String name, Value x, int out) {
        ParamStore p = g.params();
        int in = x.c();
        Value w = g.param(p.weight(name + ".weight", new int[] {out, in}, new Init.Uniform(in)));
        Value b = g.param(p.weight(name + ".bias", new int[] {out}, new Init.Uniform(in)));
        return LinearOp.apply(g, name, x, w, b);
    }

    /**
     * DARTS separable convolution: (ReLU, depthwise k x k, pointwise 1x1, BN) twice; only the first
     * depthwise convolution strides, the second pointwise one maps to {@code cout}.
     */
    public static Value sepConv(Graph g, String name, Value x, int cout, int kernel, int stride, boolean affine) {
        int c = x.c(), pad = kernel / 2;
        Value h = relu(g, name + ".relu1", x);
        h = conv(g, name + ".dw1", h, c, kernel, stride, pad, 1, c);
        h = conv(g, name + ".pw1", h, c, 1, 1, 0, 1, 1);
        h = bn(g, name + ".bn1", h, affine);
        h = relu(g, name + ".relu2", h);
        h = conv(g, name + ".dw2", h, c, kernel, 1, pad, 1, c);
        h = conv(g, name + ".pw2", h, cout, 1, 1, 0, 1, 1);
        return bn(g, name + ".bn2", h, affine);
    }

    /** DARTS dilated convolution: ReLU, depthwise k x k with dilation, pointwise 1x1 to {@code cout}, BN. */
    public static Value dilConv(Graph g, String name, Value x, int cout, int kernel, int stride, int dilation,
                                boolean affine) {
        int c = x.c();
        Value h = relu(g, name + ".relu", x);
        h = conv(g, name + ".dw", h, c, kernel, stride, dilation * (kernel - 1) / 2, dilation, c);
        h = conv(g, name + ".pw", h, cout, 1, 1, 0, 1, 1);
        return bn(g, name + ".bn", h, affine);
    }

    /**
     * DARTS FactorizedReduce (halves H and W): ReLU, two 1x1 stride-2 convolutions to cout/2 channels
     * each, the second on the input shifted by one pixel so together they see every pixel; concat; BN.
     */
    public static Value factorizedReduce(Graph g, String name, Value x, int cout, boolean affine) {
        if (cout % 2 != 0) {
            throw new IllegalArgumentException("factorized reduce " + name + ": output channels " + cout + " must be even");
        }
        Value r = relu(g, name + ".relu", x);
        Value a = conv(g, name + ".conv1", r, cout / 2, 1, 2, 0, 1, 1);
        Value shifted = spatialShift(g, name + ".shift", r, 1, 1);
        Value b = conv(g, name + ".conv2", shifted, cout / 2, 1, 2, 0, 1, 1);
        return bn(g, name + ".bn", concat(g, name + ".cat", a, b), affine);
    }

    /** Concatenation along channels. */
    public static Value concat(Graph g, String name, Value... xs) {
        return ConcatOp.apply(g, name, xs);
    }

    /** Channels [from, from + count) of x. */
    public static Value channelSlice(Graph g, String name, Value x, int from, int count) {
        return ChannelSliceOp.apply(g, name, x, from, count);
    }

    /** ShuffleNet channel shuffle with {@code groups} groups. */
    public static Value channelShuffle(Graph g, String name, Value x, int groups) {
        return ChannelShuffleOp.apply(g, name, x, groups);
    }

    /** y[.., i, j] = x[.., i + offH, j + offW] (zero outside x), same shape as x. */
    public static Value spatialShift(Graph g, String name, Value x, int offH, int offW) {
        return SpatialShiftOp.apply(g, name, x, offH, offW);
    }
}
