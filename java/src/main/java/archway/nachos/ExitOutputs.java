package archway.nachos;

import archway.data.Batch;
import archway.data.EvalBatches;

/**
 * What every exit says about every sample of an evaluation set: the confidence c[i][j] (sigmoid of the
 * confidence logit; the final exit's column is 1) and whether its argmax (first maximum) is the label. Threshold
 * tuning, the exit decisions and the per-exit statistics are functions of these alone.
 */
public record ExitOutputs(double[][] confidence, boolean[][] correct, int[] labels) {
    /** Runs the model's eval pass over {@code batches} (from its start). */
    public static ExitOutputs collect(EarlyExitModel model, EvalBatches batches) {
        int n = batches.imageCount();
        int exits = model.network().exits();
        int classes = model.network().classes();
        double[][] conf = new double[n][exits];
        boolean[][] right = new boolean[n][exits];
        int[] labels = new int[n];
        batches.reset();
        int at = 0;
        while (batches.hasNext()) {
            Batch b = batches.next();
            EarlyExitModel.ExitPass p = model.evalPass(b.size());
            p.load(b.images(), b.labels(), model.params().flat());
            p.forward();
            for (int i = 0; i < b.size(); i++) {
                labels[at + i] = b.labels().getInt(i);
            }
            for (int j = 0; j < exits; j++) {
                float[] out = p.output(j);
                int width = p.width(j);
                for (int i = 0; i < b.size(); i++) {
                    int arg = 0;
                    for (int k = 1; k < classes; k++) {
                        if (out[i * width + k] > out[i * width + arg]) {
                            arg = k;
                        }
                    }
                    right[at + i][j] = arg == labels[at + i];
                    conf[at + i][j] = j == exits - 1 ? 1 : sigmoid(out[i * width + classes]);
                }
            }
            at += b.size();
        }
        return new ExitOutputs(conf, right, labels);
    }

    static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    public int size() {
        return labels.length;
    }

    /** Top-1 (fraction) of exit j on every sample, as if all left there. */
    public double exitAccuracy(int j) {
        long right = 0;
        for (boolean[] row : correct) {
            right += row[j] ? 1 : 0;
        }
        return right / (double) labels.length;
    }
}
