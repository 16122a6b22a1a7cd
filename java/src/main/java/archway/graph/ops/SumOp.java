package archway.graph.ops;

import archway.bindings.cpu.ElementwiseKernels;
import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import java.lang.foreign.MemorySegment;
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
        s.step("sum " + name, inputs.clone(), new Value[] {output}, b -> {
            MemorySegment y = b.seg(output), a0 = b.seg(inputs[0]), a1 = b.seg(inputs[1]);
            MemorySegment[] rest = new MemorySegment[inputs.length - 2];
            for (int i = 2; i < inputs.length; i++) {
                rest[i - 2] = b.seg(inputs[i]);
            }
            return () -> {
                ElementwiseKernels.add(a0, a1, y, n);
                for (MemorySegment r : rest) {
                    ElementwiseKernels.axpy(1f, r, y, n);
                }
            };
        });
    }

    @Override
    protected void backward(Schedule s) {
        Value dy = s.grad(output);
        long n = output.size();
        for (Value x : inputs) {
            if (!s.needsGrad(x)) {
                continue;
            }
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            s.step("sum bwd " + name, new Value[] {dy}, new Value[] {dx}, b -> {
                MemorySegment dys = b.seg(dy), dxs = b.seg(dx);
                return acc ? () -> ElementwiseKernels.axpy(1f, dys, dxs, n) : () -> ElementwiseKernels.copy(dys, dxs, n);
            });
        }
    }
}
