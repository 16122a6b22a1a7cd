package archway.spaces.mbv3;

import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ops.ActivationOp;
import archway.graph.ops.ChannelScaleOp;
import archway.graph.ops.LinearOp;
import archway.graph.ops.SumOp;
import archway.nn.Layers;
import archway.nn.NetworkBuilder;
import archway.runtime.Activation;
import archway.runtime.Backends;

/**
 * A discrete subnet of the mbv3 space as a network (docs/MBV3.md). Squeeze-excite's two 1x1 convolutions act
 * on the pooled [N, C] vector and are built as linear layers with bias (the same weights and MACs); so is the
 * head's bias-free 960 -> 1280 projection after pooling. No dropout: candidates train for a few epochs only.
 * Its traced parameter and MAC counts equal {@link Mbv3Count} (tested).
 */
public final class Mbv3Network {
    private Mbv3Network() {
    }

    public static NetworkBuilder discrete(Mbv3Arch arch, int classes) {
        return (g, x) -> build(g, x, arch, classes);
    }

    /**
     * Parameters and MACs (per image) of the traced graph of a subnet: the parameter store's registered weights
     * and the ops' MACs, traced at batch 1 without allocating or initialising anything.
     */
    public static Mbv3Count tracedCount(Mbv3Arch arch, int inChannels, int resolution, int classes) {
        try (ParamStore params = new ParamStore(Backends.standard(), 0)) {
            Graph g = new Graph(params);
            discrete(arch, classes).build(g, g.input("images", 1, inChannels, resolution, resolution));
            return new Mbv3Count(params.weightCount(), g.macs());
        }
    }

    private static Value build(Graph g, Value x, Mbv3Arch arch, int classes) {
        Value[] ends = stages(g, x, arch, Mbv3Space.STAGES);
        return head(g, ends[Mbv3Space.STAGES - 1], classes);
    }

    /**
     * The stem and the first {@code count} stages; returns the feature map after each stage's last layer (where
     * an early exit attaches). Parameter names are those of the whole network, so a graph built from these parts
     * shares its weights with {@link #discrete}'s.
     */
    public static Value[] stages(Graph g, Value x, Mbv3Arch arch, int count) {
        Value h = convBn(g, "stem", x, Mbv3Space.STEM_CHANNELS, 3, 2, 1);
        h = ActivationOp.apply(g, "stem.act", Activation.HSWISH, h);
        Value b = convBn(g, "first.dw", h, Mbv3Space.STEM_CHANNELS, 3, 1, Mbv3Space.STEM_CHANNELS);
        b = ActivationOp.apply(g, "first.act", Activation.RELU, b);
        b = convBn(g, "first.pw", b, Mbv3Space.STEM_CHANNELS, 1, 1, 1);
        h = SumOp.apply(g, "first.add", h, b);
        Value[] ends = new Value[count];
        for (int s = 0; s < count; s++) {
            for (int l = 0; l < arch.depth(s); l++) {
                h = layer(g, "s" + s + ".l" + l, h, s, l == 0 ? Mbv3Space.FIRST_STRIDES[s] : 1, arch.kernel(s, l),
                        arch.expand(s, l));
            }
            ends[s] = h;
        }
        return ends;
    }

    /** The head on the last stage's output: final expand, pooling, feature mix and classifier (logits). */
    public static Value head(Graph g, Value lastStage, int classes) {
        Value h = convBn(g, "head.conv", lastStage, Mbv3Space.HEAD_CHANNELS, 1, 1, 1);
        h = ActivationOp.apply(g, "head.act", Activation.HSWISH, h);
        Value pooled = Layers.globalAvgPool(g, "head.pool", h);
        Value features = linear(g, "head.features", pooled, Mbv3Space.FEATURE_CHANNELS, false);
        features = ActivationOp.apply(g, "head.features.act", Activation.HSWISH, features);
        return linear(g, "classifier", features, classes, true);
    }

    /** One inverted residual layer of stage s. */
    private static Value layer(Graph g, String name, Value x, int stage, int stride, int kernel, int expand) {
        Activation act = Mbv3Space.ACTIVATIONS[stage];
        int in = x.c();
        int out = Mbv3Space.WIDTHS[stage];
        int mid = Mbv3Space.middleChannels(in, expand);
        Value h = convBn(g, name + ".expand", x, mid, 1, 1, 1);
        h = ActivationOp.apply(g, name + ".expand.act", act, h);
        h = convBn(g, name + ".dw", h, mid, kernel, stride, mid);
        h = ActivationOp.apply(g, name + ".dw.act", act, h);
        if (Mbv3Space.SQUEEZE_EXCITE[stage]) {
            int r = Mbv3Space.squeezeChannels(mid);
            Value squeezed = Layers.globalAvgPool(g, name + ".se.pool", h);
            Value z = linear(g, name + ".se.reduce", squeezed, r, true);
            z = ActivationOp.apply(g, name + ".se.relu", Activation.RELU, z);
            z = linear(g, name + ".se.expand", z, mid, true);
            z = ActivationOp.apply(g, name + ".se.gate", Activation.HSIGMOID, z);
            h = ChannelScaleOp.apply(g, name + ".se.scale", h, z);
        }
        h = convBn(g, name + ".project", h, out, 1, 1, 1);
        return stride == 1 && in == out ? SumOp.apply(g, name + ".add", x, h) : h;
    }

    /** Convolution (pad k/2, no bias) and affine batch norm. */
    private static Value convBn(Graph g, String name, Value x, int out, int kernel, int stride, int groups) {
        Value c = Layers.conv(g, name, x, out, kernel, stride, kernel / 2, 1, groups);
        return Layers.bn(g, name + ".bn", c, true);
    }

    private static Value linear(Graph g, String name, Value x, int out, boolean bias) {
        if (bias) {
            return Layers.linear(g, name, x, out);
        }
        ParamStore p = g.params();
        Value w = g.param(p.weight(name + ".weight", new int[] {out, x.c()}, new Init.Uniform(x.c())));
        return LinearOp.apply(g, name, x, w, null);
    }
}
