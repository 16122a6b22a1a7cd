package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * The loss of a graph whose loss is computed outside it (e.g. on the host, from several small outputs): it keeps
 * its outputs readable after forward and, in backward, seeds each output's gradient from an input buffer the
 * caller fills between forward and backward ({@link #seed}). Its own value is a placeholder scalar.
 */
public final class ExternalGradientOp extends Op {
    private final Value[] outputs;
    private final Value[] seeds;

    private ExternalGradientOp(String name, Value loss, Value[] outputs, Value[] seeds) {
        super(name, loss, outputs);
        this.outputs = outputs.clone();
        this.seeds = seeds.clone();
    }

    /** Seeds the gradient of every value in {@code outputs}; each gets its own seed input of the same shape. */
    public static ExternalGradientOp apply(Graph g, String name, Value... outputs) {
        Value[] seeds = new Value[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            seeds[i] = g.input(name + ".seed" + i, outputs[i].shape());
        }
        return g.add(new ExternalGradientOp(name, g.aux(name, 1), outputs, seeds));
    }

    /** The input value holding d(loss)/d(outputs[i]), to fill before backward. */
    public Value seed(int i) {
        return seeds[i];
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        for (Value o : outputs) {
            s.keep(o);
        }
        s.keep(output);
        s.step("external loss " + name, new Value[0], new Value[] {output}, new KernelCall.Fill(output, 1, 0f));
    }

    @Override
    protected void backward(Schedule s) {
        for (int i = 0; i < outputs.length; i++) {
            if (!s.needsGrad(outputs[i])) {
                continue;
            }
            Value d = s.grad(outputs[i]);
            long n = outputs[i].size();
            boolean acc = s.accumulate(d);
            s.step("external loss bwd " + name, new Value[] {seeds[i]}, new Value[] {d},
                    acc ? new KernelCall.Axpy(1f, seeds[i], d, n) : new KernelCall.Copy(seeds[i], d, n));
        }
    }
}
