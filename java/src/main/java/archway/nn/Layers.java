package archway.nn;

import archway.bindings.cpu.Activation;
import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ops.ActivationOp;
import archway.graph.ops.BatchNormOp;
import archway.graph.ops.Conv2dOp;
import archway.graph.ops.GlobalAvgPoolOp;
import archway.graph.ops.LinearOp;
import archway.graph.ops.Pool2dOp;

/** Layer builders over the graph ops: each registers its parameters under a dotted name. */
public final class Layers {
    private Layers() {
    }

    /** Convolution without bias; weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static Value conv(Graph g, String name, Value x, int cout, int kernel, int stride, int pad, int dilation,
                             int groups) {
        ParamStore p = g.params();
        int cinPerGroup = x.c() / groups;
        Value w = g.param(p.weight(name + ".weight", new int[] {cout, cinPerGroup, kernel, kernel},
                new Init.Uniform(cinPerGroup * kernel * kernel)));
        return Conv2dOp.apply(g, name, x, w, stride, pad, dilation, groups);
    }

    public static Value bn(Graph g, String name, Value x, boolean affine) {
        return BatchNormOp.apply(g, name, x, affine);
    }

    public static Value relu(Graph g, String name, Value x) {
        return ActivationOp.apply(g, name, Activation.RELU, x);
    }

    /** ReLU -> Conv(kernel, stride, pad = dilation*(kernel-1)/2) -> BN, the NAS-Bench-201 / DARTS building block. */
    public static Value reluConvBn(Graph g, String name, Value x, int cout, int kernel, int stride, int dilation,
                                   boolean affine) {
        Value r = relu(g, name + ".relu", x);
        Value c = conv(g, name + ".conv", r, cout, kernel, stride, dilation * (kernel - 1) / 2, dilation, 1);
        return bn(g, name + ".bn", c, affine);
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
}
