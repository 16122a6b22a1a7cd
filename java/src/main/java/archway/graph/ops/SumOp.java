package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;
import java.util.Arrays;

/** y = sum of two or more inputs of equal shape (cell nodes, residual joins). */
public final class SumOp extends Op {
    private SumOp(String name, Value y, Value... xs) {
        super(name, y, xs);
    }

    public static Value apply(Graph g, String name, Value... xs) {
        if (xs.length == 1) {
            return xs[0];
        }
        for (Value v : xs) {
            if (!Arrays.equals(v.shape(), xs[0].shape())) {
                throw new IllegalArgumentException("sum " + name + ": shapes differ: " + Arrays.toString(xs));
            }
        }
        Value y = g.activation(name, xs[0].shape());
        g.add(new SumOp(name, y, xs));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        long n = output.size();
        // The first three inputs in one pass; any further ones added one pass each.
        int fused = Math.min(inputs.length, 3);
        KernelCall[] calls = new KernelCall[1 + inputs.length - fused];
        calls[0] = fused == 3 ? new KernelCall.Add3(inputs[0], inputs[1], inputs[2], output, n)
                : new KernelCall.Add(inputs[0], inputs[1], output, n);
        for (int i = fused; i < inputs.length; i++) {
            calls[1 + i - fused] = new KernelCall.Axpy(1f, inputs[i], output, n);
        }
        s.step("sum " + name, inputs.clone(), new Value[] {output}, calls);
    }

    @Override
    protected void backward(Schedule s) {
        Value dy = s.grad(output);
        long n = output.size();
        for (Value x : inputs) {
            // An input read by this sum alone takes dy as its gradient, without a copy.
            if (!s.needsGrad(x) || s.shareGrad(x, dy)) {
                continue;
            }
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            s.step("sum bwd " + name, new Value[] {dy}, new Value[] {dx},
                    acc ? new KernelCall.Axpy(1f, dy, dx, n) : new KernelCall.Copy(dy, dx, n));
        }
    }
}
