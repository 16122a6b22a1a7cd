package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.BatchNormShape;
import archway.runtime.KernelCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    protected boolean appliesBatchNormsOfInputs() { return true; }

    @Override
    protected void forward(Schedule s, Mode mode) {
        long n = output.size();
        if (forwardWithBatchNorms(s)) {
            return;
        }
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

    /**
     * One {@link KernelCall.BatchNormAdd} when the schedule folds the batch norm of some input into this
     * sum (reading that batch norm's x and statistics instead of its never-written output); false, emitting
     * nothing, when none is folded.
     */
    private boolean forwardWithBatchNorms(Schedule s) {
        KernelCall.BatchNormAddTerm[] terms = new KernelCall.BatchNormAddTerm[inputs.length];
        List<Value> reads = new ArrayList<>();
        BatchNormShape shape = null;
        for (int i = 0; i < inputs.length; i++) {
            if (s.batchNormFusedIntoSum(inputs[i]) instanceof BatchNormOp bn) {
                terms[i] = bn.sumTerm();
                shape = bn.shape();
                reads.addAll(List.of(bn.sumTermReads()));
            } else {
                terms[i] = new KernelCall.BatchNormAddTerm(inputs[i], null, null, null, null);
                reads.add(inputs[i]);
            }
        }
        if (shape == null) {
            return false;
        }
        s.step("sum " + name, reads.toArray(new Value[0]), new Value[] {output},
                new KernelCall.BatchNormAdd(shape, terms, output));
        return true;
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
