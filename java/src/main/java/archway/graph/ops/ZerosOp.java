package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/** A constant zero tensor (a cell node whose every incoming edge is "none"). No gradient flows. */
public final class ZerosOp extends Op {
    private ZerosOp(String name, Value y) {
        super(name, y);
    }

    public static Value apply(Graph g, String name, int... shape) {
        Value y = g.activation(name, shape);
        g.add(new ZerosOp(name, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        long n = output.size();
        s.step("zeros " + name, new Value[0], new Value[] {output}, new KernelCall.Fill(output, n, 0f));
    }

    @Override
    protected void backward(Schedule s) {
        // Constant: nothing upstream.
    }
}
