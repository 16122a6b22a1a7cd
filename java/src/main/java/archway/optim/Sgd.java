package archway.optim;

import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.OptimizerKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * SGD with momentum, optional Nesterov and L2 weight decay (PyTorch semantics) over one flat span:
 * one fused kernel call per step, whatever the number of layers.
 */
public final class Sgd implements AutoCloseable {
    private final MemorySegment weights, grads, momentum;
    private final long n;
    private final float momentumFactor, weightDecay;
    private final boolean nesterov;
    private final Arena arena = Arena.ofShared();

    public Sgd(MemorySegment weights, MemorySegment grads, long n, float momentum, float weightDecay, boolean nesterov) {
        this.weights = weights;
        this.grads = grads;
        this.n = n;
        this.momentumFactor = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.momentum = arena.allocate(Math.max(1, n) * Float.BYTES, 64);
        ElementwiseKernels.fill(this.momentum, n, 0f);
    }

    public void step(float lr) {
        OptimizerKernels.sgdStep(weights, grads, momentum, n, lr, momentumFactor, weightDecay, nesterov);
    }

    /** The momentum buffer (checkpointed with the weights). */
    public MemorySegment state() { return momentum; }

    public long size() { return n; }

    @Override
    public void close() {
        arena.close();
    }
}
