package archway.optim;

import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.OptimizerKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Adam (L2 weight decay added to the gradient, as torch.optim.Adam) or AdamW over one flat span. */
public final class Adam implements AutoCloseable {
    private final MemorySegment params, grads, m, v;
    private final long n;
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final Arena arena = Arena.ofShared();
    private int t;

    public Adam(MemorySegment params, MemorySegment grads, long n, float beta1, float beta2, float eps,
                float weightDecay, boolean decoupled) {
        this.params = params;
        this.grads = grads;
        this.n = n;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = arena.allocate(Math.max(1, n) * Float.BYTES, 64);
        this.v = arena.allocate(Math.max(1, n) * Float.BYTES, 64);
        ElementwiseKernels.fill(m, n, 0f);
        ElementwiseKernels.fill(v, n, 0f);
    }

    public void step(float lr) {
        t++;
        OptimizerKernels.adamStep(params, grads, m, v, n, lr, beta1, beta2, eps, weightDecay, t, decoupled);
    }

    public MemorySegment firstMoment() { return m; }

    public MemorySegment secondMoment() { return v; }

    public int stepCount() { return t; }

    /** Restores the step counter (resume). */
    public void stepCount(int steps) { this.t = steps; }

    @Override
    public void close() {
        arena.close();
    }
}
