package archway.optim;

import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;

/**
 * SGD with momentum, optional Nesterov and L2 weight decay (PyTorch semantics) over one flat span:
 * one fused kernel call per step, whatever the number of layers. The momentum buffer is the backend's.
 */
public final class Sgd implements AutoCloseable {
    private final Backend backend;
    private final Buffer weights, grads, momentum;
    private final long n;
    private final float momentumFactor, weightDecay;
    private final boolean nesterov;
    private final BufferArena arena;

    public Sgd(Backend backend, Buffer weights, Buffer grads, long n, float momentum, float weightDecay,
               boolean nesterov) {
        this.backend = backend;
        this.weights = weights;
        this.grads = grads;
        this.n = n;
        this.momentumFactor = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.arena = backend.arena();
        this.momentum = arena.allocate(Math.max(1, n));
        backend.flat().fill(this.momentum, n, 0f);
    }

    public void step(float lr) {
        backend.flat().sgdStep(weights, grads, momentum, n, lr, momentumFactor, weightDecay, nesterov);
    }

    /** The momentum buffer (checkpointed with the weights). */
    public Buffer state() { return momentum; }

    public long size() { return n; }

    @Override
    public void close() {
        arena.close();
    }
}
