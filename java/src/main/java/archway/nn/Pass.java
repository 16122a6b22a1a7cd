package archway.nn;

import archway.graph.Plan;
import archway.graph.Value;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.runtime.Buffer;
import archway.runtime.FlatOps;

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
    public Buffer images() { return plan.input(input); }

    /** Buffer to fill with int32 labels. */
    public Buffer labels() { return plan.input(labels); }

    /** Copies a batch (float images, int32 labels) into the pass's input buffers. */
    public void load(Buffer images, Buffer labelInts) {
        FlatOps f = plan.graph().params().flat();
        f.copy(images, images(), input.size());
        f.copyBytes(labelInts, labels(), (long) batch * Integer.BYTES);
    }

    public void forward() { plan.forward(); }

    public void backward() { plan.backward(); }

    /** Mean cross-entropy of the last forward. */
    public float loss() { return plan.scalar(loss.loss()); }

    /** Correct argmax predictions of the last forward. */
    public int correct() { return plan.intScalar(loss.correct()); }

    /** Softmax probabilities [batch, classes] of the last forward. */
    public Buffer probabilities() { return plan.buffer(loss.probs()); }

    public int batch() { return batch; }

    public Plan plan() { return plan; }

    public Value logits() { return logits; }
}
