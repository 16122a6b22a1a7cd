package archway.spaces.nb201;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * The centre k x k crop of a square convolution weight [Co, Ci, K, K] (ZO-DARTS++ weight sharing: the
 * 5x5 and 3x3 kernels of conv_kv are the centres of one 7x7 weight). Forward copies k rows of k taps per
 * filter plane; backward scatter-adds the crop's gradient into the centre of the full weight's gradient.
 * Each row is one strided {@code channel_copy} call over all Co*Ci planes (the plane is viewed as K*K
 * "channels" of one element), so a crop costs k native calls whatever the layer width.
 */
public final class SizeVariableCropOp extends Op {
    private final Value full;
    private final int big, k, planes;

    private SizeVariableCropOp(String name, Value y, Value full, int k) {
        super(name, y, full);
        this.full = full;
        this.big = full.shape()[2];
        this.k = k;
        this.planes = full.shape()[0] * full.shape()[1];
    }

    /** The centre {@code k x k} of {@code full} ([Co, Ci, K, K], K - k even). */
    public static Value apply(Graph g, String name, Value full, int k) {
        int[] s = full.shape();
        if (s.length != 4 || s[2] != s[3] || k < 1 || k > s[2] || (s[2] - k) % 2 != 0) {
            throw new IllegalArgumentException("crop " + name + ": cannot take a centred " + k + "x" + k + " of " + full);
        }
        Value y = g.activation(name, s[0], s[1], k, k);
        g.add(new SizeVariableCropOp(name, y, full, k));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int off = (big - k) / 2;
        KernelCall[] rows = new KernelCall[k];
        for (int i = 0; i < k; i++) {
            rows[i] = new KernelCall.ChannelCopy(full, output, planes, big * big, (off + i) * big + off, k * k, i * k, k,
                    1, false);
        }
        s.step("crop " + name, new Value[] {full}, new Value[] {output}, rows);
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(full)) {
            return;
        }
        int off = (big - k) / 2;
        Value dy = s.grad(output), dx = s.grad(full);
        s.accumulate(dx);
        // The full weight's gradient is a WEIGHT gradient (zeroed before backward): always add.
        KernelCall[] rows = new KernelCall[k];
        for (int i = 0; i < k; i++) {
            rows[i] = new KernelCall.ChannelCopy(dy, dx, planes, k * k, i * k, big * big, (off + i) * big + off, k, 1,
                    true);
        }
        s.step("crop bwd " + name, new Value[] {dy}, new Value[] {dx}, rows);
    }
}
