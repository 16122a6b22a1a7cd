package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.ConvShape;
import archway.runtime.KernelCall;

/**
 * y = conv2d(x, weight): square kernel, stride, padding, dilation, groups; no bias. With a fused input
 * ReLU, y = conv2d(relu(x), weight): the kernels apply the ReLU while copying x into their padded
 * scratch and its backward where they store dx, so relu(x) is neither stored nor recomputed (the
 * ReLU -> Conv -> BN block of NB201 and DARTS); results are bit-identical to a separate ReLU.
 */
public final class Conv2dOp extends Op {
    private final Value x, weight;
    private final int kernel, stride, pad, dilation, groups;
    private final boolean reluInput;

    private Conv2dOp(String name, Value x, Value weight, Value y, int kernel, int stride, int pad, int dilation,
                     int groups, boolean reluInput) {
        super(name, y, x, weight);
        this.x = x;
        this.weight = weight;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.dilation = dilation;
        this.groups = groups;
        this.reluInput = reluInput;
    }

    /** Traces a convolution; {@code weight} must be [k, c/groups, kernel, kernel]. */
    public static Value apply(Graph g, String name, Value x, Value weight, int stride, int pad, int dilation, int groups) {
        return trace(g, name, x, weight, stride, pad, dilation, groups, false);
    }

    /** Traces conv2d(relu(x), weight), the ReLU fused into the convolution's input. */
    public static Value applyReluInput(Graph g, String name, Value x, Value weight, int stride, int pad, int dilation,
                                       int groups) {
        return trace(g, name, x, weight, stride, pad, dilation, groups, true);
    }

    private static Value trace(Graph g, String name, Value x, Value weight, int stride, int pad, int dilation, int groups,
                               boolean reluInput) {
        int[] ws = weight.shape();
        if (x.rank() != 4 || ws.length != 4 || ws[2] != ws[3] || ws[1] * groups != x.c()) {
            throw new IllegalArgumentException("conv " + name + ": input " + x + " incompatible with weight " + weight
                    + " (groups " + groups + ")");
        }
        int kernel = ws[2];
        int oh = (x.h() + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
        int ow = (x.w() + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
        Value y = g.activation(name, x.n(), ws[0], oh, ow);
        g.add(new Conv2dOp(name, x, weight, y, kernel, stride, pad, dilation, groups, reluInput));
        return y;
    }

    private ConvShape shape() {
        return new ConvShape(x.n(), x.c(), x.h(), x.w(), output.c(), kernel, stride, pad, dilation, groups);
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        KernelCall call = reluInput ? new KernelCall.ReluConv2dFwd(shape(), x, weight, output)
                : new KernelCall.Conv2dFwd(shape(), x, weight, output);
        s.step("conv " + name, new Value[] {x, weight}, new Value[] {output}, call);
    }

    @Override
    protected void backward(Schedule s) {
        Value dy = s.grad(output);
        if (s.needsGrad(x)) {
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            if (reluInput) {
                s.step("conv dx " + name, new Value[] {x, dy, weight}, new Value[] {dx},
                        new KernelCall.ReluConv2dBwdData(shape(), x, dy, weight, dx, acc));
            } else {
                s.step("conv dx " + name, new Value[] {dy, weight}, new Value[] {dx},
                        new KernelCall.Conv2dBwdData(shape(), dy, weight, dx, acc));
            }
        }
        if (s.needsGrad(weight)) {
            Value dw = s.grad(weight);
            boolean acc = s.accumulate(dw);
            KernelCall call = reluInput ? new KernelCall.ReluConv2dBwdFilter(shape(), x, dy, dw, acc)
                    : new KernelCall.Conv2dBwdFilter(shape(), x, dy, dw, acc);
            s.step("conv dw " + name, new Value[] {x, dy}, new Value[] {dw}, call);
        }
    }

    @Override
    public long macs() {
        return output.size() * (x.c() / groups) * kernel * kernel;
    }
}
