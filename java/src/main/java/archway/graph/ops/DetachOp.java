package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * y = x with no gradient path back to x (a stop-gradient): ops after it train while everything before it stays
 * untouched and its backward steps are never emitted. The op declares no gradient input, so the schedule's
 * need-analysis ends here; the forward copy still reads x.
 */
public final class DetachOp extends Op {
    private final Value x;

    private DetachOp(String name, Value x, Value y) {
        super(name, y);
        this.x = x;
    }

    public static Value apply(Graph g, String name, Value x) {
        Value y = g.activation(name, x.shape());
        g.add(new DetachOp(name, x, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        s.step("detach " + name, new Value[] {x}, new Value[] {output}, new KernelCall.Copy(x, output, x.size()));
    }

    @Override
    protected void backward(Schedule s) {
        // no gradient flows into x
    }
}
