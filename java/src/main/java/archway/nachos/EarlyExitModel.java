package archway.nachos;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.Plan;
import archway.graph.Value;
import archway.graph.ValueKind;
import archway.graph.Workspace;
import archway.graph.ops.ExternalGradientOp;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.FlatOps;
import archway.spaces.mbv3.Mbv3Network;
import archway.spaces.mbv3.Mbv3Space;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EarlyExitNetwork} with its parameters and planned passes on one backend (one parameter store, one
 * activation workspace shared by every pass):
 * <ul>
 *   <li>{@link #backbonePass}: the backbone alone with softmax cross-entropy on the final exit, TRAIN mode (the
 *       first training phase);</li>
 *   <li>{@link #exitPass}: the backbone in EVAL mode (running statistics, frozen) and the exit heads behind a
 *       stop-gradient, whose loss gradient is seeded from the host ({@link ExternalGradientOp}): the second
 *       phase trains the heads only;</li>
 *   <li>{@link #evalPass}: every exit's outputs, forward only, EVAL mode.</li>
 * </ul>
 */
public final class EarlyExitModel implements AutoCloseable {
    private final EarlyExitNetwork net;
    private final int channels, size;
    private final ParamStore params;
    private final Workspace workspace;
    private final Map<String, ExitPass> passes = new HashMap<>();

    public EarlyExitModel(Backend backend, EarlyExitNetwork net, int channels, int size, long seed) {
        this.net = net;
        this.channels = channels;
        this.size = size;
        this.params = new ParamStore(backend, seed);
        this.workspace = new Workspace(backend);
        Graph g = new Graph(params); // registers every parameter, backbone first
        net.build(g, g.input("images", 1, channels, size, size), false);
        params.allocate();
    }

    public EarlyExitNetwork network() {
        return net;
    }

    public ParamStore params() {
        return params;
    }

    /** One planned pass: its input buffers, every exit's outputs, and how its loss is seeded. */
    public static final class ExitPass {
        private final Plan plan;
        private final Value images, labels;
        private final Value[] outputs;
        private final ExternalGradientOp external;
        private final int batch;

        ExitPass(Plan plan, Value images, Value labels, Value[] outputs, ExternalGradientOp external, int batch) {
            this.plan = plan;
            this.images = images;
            this.labels = labels;
            this.outputs = outputs;
            this.external = external;
            this.batch = batch;
        }

        public int batch() {
            return batch;
        }

        /** Copies a batch (float images, int32 labels) into the pass's inputs. */
        public void load(Buffer images, Buffer labelInts, FlatOps flat) {
            flat.copy(images, plan.input(this.images), this.images.size());
            flat.copyBytes(labelInts, plan.input(labels), (long) batch * Integer.BYTES);
        }

        public void forward() {
            plan.forward();
        }

        public void backward() {
            plan.backward();
        }

        public int outputs() {
            return outputs.length;
        }

        /** Output j ([batch, width], row-major) of the last forward, copied to the host. */
        public float[] output(int j) {
            float[] out = new float[Math.toIntExact(outputs[j].size())];
            plan.buffer(outputs[j]).read(0, out);
            return out;
        }

        /** Columns of output j. */
        public int width(int j) {
            return outputs[j].c();
        }

        /** Writes d(loss)/d(output j) for the next backward (exit passes only). */
        public void seed(int j, float[] gradient) {
            plan.input(external.seed(j)).write(0, gradient);
        }
    }

    /** Backbone-only training pass: final logits, softmax cross-entropy, TRAIN mode, weight gradients. */
    public ExitPass backbonePass(int batch) {
        return passes.computeIfAbsent("backbone/" + batch, k -> {
            Graph g = new Graph(params);
            Value x = g.input("images", batch, channels, size, size);
            Value y = g.labels(batch);
            Value[] ends = Mbv3Network.stages(g, x, net.arch(), Mbv3Space.STAGES);
            Value logits = Mbv3Network.head(g, ends[Mbv3Space.STAGES - 1], net.classes());
            SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, y);
            Plan plan = Plan.build(g, workspace, Mode.TRAIN, loss, EnumSet.of(ValueKind.WEIGHT), logits);
            return new ExitPass(plan, x, y, new Value[] {logits}, null, batch);
        });
    }

    /**
     * Exit-head training pass: frozen backbone (EVAL mode), heads behind a stop-gradient; seeds are taken for the
     * early exits' outputs (0..J-2); the final logits are read only.
     */
    public ExitPass exitPass(int batch) {
        return passes.computeIfAbsent("exits/" + batch, k -> {
            Graph g = new Graph(params);
            Value x = g.input("images", batch, channels, size, size);
            Value y = g.labels(batch);
            Value[] out = net.build(g, x, true);
            Value[] early = java.util.Arrays.copyOf(out, out.length - 1);
            ExternalGradientOp loss = ExternalGradientOp.apply(g, "nachos", early);
            Plan plan = Plan.build(g, workspace, Mode.EVAL, loss, EnumSet.of(ValueKind.WEIGHT), out);
            return new ExitPass(plan, x, y, out, loss, batch);
        });
    }

    /** Forward-only pass over every exit, EVAL mode. */
    public ExitPass evalPass(int batch) {
        return passes.computeIfAbsent("eval/" + batch, k -> {
            Graph g = new Graph(params);
            Value x = g.input("images", batch, channels, size, size);
            Value y = g.labels(batch);
            Value[] out = net.build(g, x, false);
            Plan plan = Plan.build(g, workspace, Mode.EVAL, null, Set.of(), out);
            return new ExitPass(plan, x, y, out, null, batch);
        });
    }

    @Override
    public void close() {
        for (ExitPass p : passes.values()) {
            p.plan.close();
        }
        workspace.close();
        params.close();
    }
}
