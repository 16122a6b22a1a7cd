package archway.optim;

import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;

/** Adam (L2 weight decay added to the gradient, as torch.optim.Adam) or AdamW over one flat span. */
public final class Adam implements AutoCloseable {
    private final Backend backend;
    private final Buffer params, grads, m, v;
    private final long n;
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final BufferArena arena;
    private int t;

    public Adam(Backend backend, Buffer params, Buffer grads, long n, float beta1, float beta2, float eps,
                float weightDecay, boolean decoupled) {
        this.backend = backend;
        this.params = params;
        this.grads = grads;
        this.n = n;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.arena = backend.arena();
        this.m = arena.allocate(Math.max(1, n));
        this.v = arena.allocate(Math.max(1, n));
        backend.flat().fill(m, n, 0f);
        backend.flat().fill(v, n, 0f);
    }

    public void step(float lr) {
        t++;
        backend.flat().adamStep(params, grads, m, v, n, lr, beta1, beta2, eps, weightDecay, t, decoupled);
    }

    public Buffer firstMoment() { return m; }

    public Buffer secondMoment() { return v; }

    public int stepCount() { return t; }

    /** Restores the step counter (resume). */
    public void stepCount(int steps) { this.t = steps; }

    @Override
    public void close() {
        arena.close();
    }
}
