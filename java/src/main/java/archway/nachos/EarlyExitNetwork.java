package archway.nachos;

import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.ParamStore;
import archway.graph.Value;
import archway.graph.ops.ActivationOp;
import archway.graph.ops.Conv2dOp;
import archway.graph.ops.DetachOp;
import archway.graph.ops.LinearOp;
import archway.nn.Layers;
import archway.runtime.Activation;
import archway.runtime.Backends;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Network;
import archway.spaces.mbv3.Mbv3Space;

/**
 * An mbv3 subnet with early exits (docs/NACHOS.md), as graph builders on the runtime seam. The backbone is
 * {@link Mbv3Network}'s (same parameter names); after the last layer of each placed stage sits an exit head
 * {@code [MaxPool k] -> ReLU -> Conv3x3(C->32) -> ReLU -> Conv3x3(32->64) -> ReLU -> Conv3x3(64->128) -> ReLU -> flatten
 * -> Linear(classes + 1)} with k from {@link ExitCosts}' prepending rule. The exit convolutions have no bias (the graph
 * has no bias op; the head's linear layer has one) and He-normal weights (std sqrt(2 / fan_in)): with PyTorch's
 * default uniform bound 1/sqrt(fan_in), three bias-free ReLU convolutions shrink the signal so much that a short
 * trial does not train the heads at all (measured: exit accuracy at chance). Backbone parameters are registered before every exit's, so the
 * exits' weights are one contiguous tail of the flat weight buffer ({@link #exitWeightsFrom}).
 */
public record EarlyExitNetwork(Mbv3Arch arch, ExitPlacement placement, ExitCosts costs, int classes) {
    public static EarlyExitNetwork of(Mbv3Arch arch, ExitPlacement placement, int inChannels, int resolution,
            int classes) {
        return new EarlyExitNetwork(arch, placement, ExitCosts.of(arch, placement, inChannels, resolution, classes),
                classes);
    }

    public int exits() {
        return placement.exits();
    }

    /**
     * Every exit's logits in exit order: the early exits' [N, classes + 1] (the last column is the confidence's
     * logit), then the final classifier's [N, classes]. With {@code detachExits} the heads read the stage outputs
     * through a stop-gradient, so training them leaves the backbone alone.
     */
    public Value[] build(Graph g, Value x, boolean detachExits) {
        Value[] ends = Mbv3Network.stages(g, x, arch, Mbv3Space.STAGES);
        Value finalLogits = Mbv3Network.head(g, ends[Mbv3Space.STAGES - 1], classes);
        int[] stages = placement.stages();
        Value[] out = new Value[stages.length + 1];
        for (int j = 0; j < stages.length; j++) {
            Value in = ends[stages[j]];
            if (detachExits) {
                in = DetachOp.apply(g, "exit" + j + ".detach", in);
            }
            out[j] = head(g, "exit" + j, in, costs.heads()[j]);
        }
        out[stages.length] = finalLogits;
        return out;
    }

    /** One exit head on x (its pool kernel and sizes from {@code spec}). */
    static Value head(Graph g, String name, Value x, ExitClassifier spec) {
        if (x.c() != spec.channels() || x.h() != spec.size()) {
            throw new IllegalStateException(name + ": stage output " + x + " does not match " + spec);
        }
        Value h = x;
        if (spec.pool() > 1) {
            h = Layers.maxPool(g, name + ".pool", h, spec.pool(), spec.pool(), 0);
        }
        ParamStore p = g.params();
        for (int i = 0; i < ExitClassifier.WIDTHS.length; i++) {
            h = ActivationOp.apply(g, name + ".relu" + i, Activation.RELU, h);
            int fanIn = h.c() * 9;
            Value w = g.param(p.weight(name + ".conv" + i + ".weight", new int[] {ExitClassifier.WIDTHS[i], h.c(), 3, 3},
                    new Init.Normal((float) Math.sqrt(2.0 / fanIn))));
            h = Conv2dOp.apply(g, name + ".conv" + i, h, w, 1, 1, 1, 1);
        }
        h = ActivationOp.apply(g, name + ".relu" + ExitClassifier.WIDTHS.length, Activation.RELU, h);
        int in = Math.toIntExact(h.size() / h.n());
        Value w = g.param(p.weight(name + ".linear.weight", new int[] {spec.classes() + 1, in}, new Init.Uniform(in)));
        Value b = g.param(p.weight(name + ".linear.bias", new int[] {spec.classes() + 1}, new Init.Uniform(in)));
        return LinearOp.apply(g, name + ".linear", h, w, b);
    }

    /** Traced MACs per image of leaving at each exit (E_j): the backbone up to the exit plus its head. */
    public long[] tracedExitMacs(int inChannels, int resolution) {
        int[] stages = placement.stages();
        long[] e = new long[stages.length + 1];
        for (int j = 0; j < stages.length; j++) {
            try (ParamStore params = new ParamStore(Backends.standard(), 0)) {
                Graph g = new Graph(params);
                Value[] ends = Mbv3Network.stages(g, g.input("images", 1, inChannels, resolution, resolution), arch,
                        stages[j] + 1);
                head(g, "exit" + j, ends[stages[j]], costs.heads()[j]);
                e[j] = g.macs();
            }
        }
        e[stages.length] = Mbv3Network.tracedCount(arch, inChannels, resolution, classes).macs();
        return e;
    }

    /** Weights (all exits and the backbone) of the traced graph. */
    public long tracedParams(int inChannels, int resolution) {
        try (ParamStore params = new ParamStore(Backends.standard(), 0)) {
            Graph g = new Graph(params);
            build(g, g.input("images", 1, inChannels, resolution, resolution), false);
            return params.weightCount();
        }
    }

    /** Offset in the flat weight buffer where the exits' weights start (they run to its end). */
    public static long exitWeightsFrom(ParamStore params) {
        long from = params.flatLength(archway.graph.ValueKind.WEIGHT);
        for (ParamStore.Entry e : params.entries()) {
            if (e.kind() == archway.graph.ValueKind.WEIGHT && e.name().startsWith("exit")) {
                from = Math.min(from, e.offset());
            }
        }
        return from;
    }
}
