package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * Mean softmax cross-entropy of logits [N, K] against int32 labels; also counts argmax hits. The loss
 * and the hit count stay readable after a run; backward seeds the graph with dlogits.
 */
public final class SoftmaxCrossEntropyOp extends Op {
    private final Value logits, labels, probs, correct;

    private SoftmaxCrossEntropyOp(String name, Value logits, Value labels, Value loss, Value probs, Value correct) {
        super(name, loss, logits, labels);
        this.logits = logits;
        this.labels = labels;
        this.probs = probs;
        this.correct = correct;
    }

    public static SoftmaxCrossEntropyOp apply(Graph g, String name, Value logits, Value labels) {
        if (logits.rank() != 2 || labels.size() != logits.n()) {
            throw new IllegalArgumentException("loss " + name + ": logits " + logits + " vs labels " + labels);
        }
        Value loss = g.aux(name, 1);
        Value probs = g.aux(name + ".probs", logits.n(), logits.c());
        Value correct = g.aux(name + ".correct", 1);
        return g.add(new SoftmaxCrossEntropyOp(name, logits, labels, loss, probs, correct));
    }

    /** The scalar mean loss (read with {@code plan.scalar}). */
    public Value loss() { return output; }

    /** The int32 count of correct argmax predictions (read with {@code plan.intScalar}). */
    public Value correct() { return correct; }

    /** Softmax probabilities [N, K]. */
    public Value probs() { return probs; }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = logits.n(), k = logits.c();
        s.keep(output);
        s.keep(correct);
        s.keep(probs);
        s.step("xent " + name, new Value[] {logits, labels}, new Value[] {output, probs, correct},
                new KernelCall.SoftmaxXentFwd(logits, labels, probs, n, k, output, correct));
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(logits)) {
            return;
        }
        int n = logits.n(), k = logits.c();
        Value dl = s.grad(logits);
        boolean acc = s.accumulate(dl);
        s.step("xent bwd " + name, new Value[] {probs, labels}, new Value[] {dl},
                new KernelCall.SoftmaxXentBwd(probs, labels, dl, n, k, 1f, acc));
    }
}
