package archway.train;

import archway.data.Batch;
import archway.data.EvalBatches;
import archway.graph.Mode;
import archway.nn.Network;
import archway.nn.Pass;

/** Loss and accuracy of a network over a whole evaluation set, in EVAL mode (running BN statistics). */
public final class Evaluator {
    /** Mean loss, accuracy in percent and the number of images. */
    public record Result(double loss, double accuracy, int count) {
    }

    private Evaluator() {
    }

    public static Result evaluate(Network net, EvalBatches batches) {
        return evaluate(net, batches, Mode.EVAL);
    }

    /** Evaluates with the given BN mode (TRAIN mode uses batch statistics, as DARTS' validation does). */
    public static Result evaluate(Network net, EvalBatches batches, Mode mode) {
        batches.reset();
        double lossSum = 0;
        long correct = 0;
        int count = 0;
        while (batches.hasNext()) {
            Batch b = batches.next();
            Pass p = net.pass(b.size(), mode);
            p.load(b.images(), b.labels());
            p.forward();
            lossSum += (double) p.loss() * b.size();
            correct += p.correct();
            count += b.size();
        }
        return new Result(lossSum / Math.max(1, count), 100.0 * correct / Math.max(1, count), count);
    }
}
