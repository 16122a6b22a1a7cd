package archway.nn;

import archway.bindings.cpu.ElementwiseKernels;
import archway.graph.Plan;
import archway.graph.Value;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import java.lang.foreign.MemorySegment;

/**
 * One planned pass of a network at a fixed batch size: input and label buffers, the plan, and the
 * loss readings. Obtained from {@link Network#pass}; reused for every batch of that size.
 */
public final class Pass {
    private final Plan plan;
    private final Value input, labels, logits;
    private final SoftmaxCrossEntropyOp loss;
    private final int batch;

    Pass(Plan plan, Value input, Value labels, Value logits, SoftmaxCrossEntropyOp loss, int batch) {
        this.plan = plan;
        this.input = input;
        this.labels = labels;
        this.logits = logits;
        this.loss = loss;
        this.batch = batch;
    }

    /** Buffer to fill with float NCHW images of exactly {@link #batch()} samples. */
    public MemorySegment images() { return plan.input(input); }

    /** Buffer to fill with int32 labels. */
    public MemorySegment labels() { return plan.input(labels); }

    /** Copies a batch (float images, int32 labels) into the pass's input buffers. */
    public void load(MemorySegment images, MemorySegment labelInts) {
        ElementwiseKernels.copy(images, images(), input.size());
        MemorySegment.copy(labelInts, 0, labels(), 0, (long) batch * Integer.BYTES);
    }

    public void forward() { plan.forward(); }

    public void backward() { plan.backward(); }

    /** Mean cross-entropy of the last forward. */
    public float loss() { return plan.scalar(loss.loss()); }

    /** Correct argmax predictions of the last forward. */
    public int correct() { return plan.intScalar(loss.correct()); }

    /** Softmax probabilities [batch, classes] of the last forward. */
    public MemorySegment probabilities() { return plan.segment(loss.probs()); }

    public int batch() { return batch; }

    public Plan plan() { return plan; }

    public Value logits() { return logits; }
}
