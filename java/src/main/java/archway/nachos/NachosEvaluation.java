package archway.nachos;

import archway.data.ChannelStats;
import archway.data.DatasetSplit;
import archway.data.EvalBatches;
import archway.runtime.Backends;
import archway.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A saved early-exit network evaluated on the test split ({@code nas eval}): rebuilt from its genes, its trained
 * weights loaded, its thresholds applied; every sample's exit decided from the confidences, and the MACs spent
 * counted per sample from the traced graph's per-exit MACs ({@link EarlyExitNetwork#tracedExitMacs}), not from the
 * analytic counts the search used.
 */
public final class NachosEvaluation {
    private NachosEvaluation() {
    }

    /** Per exit: samples that left there and how many of them were right; overall top-1 and average MACs spent. */
    public record Report(int[] stages, int[] pools, double[] thresholds, long[] taken, long[] right, long[] tracedMacs,
            double top1, double averageMacs, double backboneTop1, int samples) {
    }

    /**
     * @param spec       the member's trial spec (genes, dataset, seed, threads)
     * @param thresholds eps_1..eps_{J-1}
     * @param weights    the checkpoint {@link NachosTrial} wrote for it
     */
    public static Report evaluate(TrialSpec spec, double[] thresholds, Path weights) throws IOException {
        NachosTrainConfig cfg = NachosTrial.config(spec);
        DatasetSplit data = NachosTrial.data(spec);
        var train = data.train();
        EarlyExitNetwork net = NachosTrial.network(spec.genes(), train);
        Backends.standard().threads(cfg.threads());
        ExitOutputs test;
        try (EarlyExitModel model = new EarlyExitModel(Backends.standard(), net, train.channels(), train.height(),
                cfg.seed());
             EvalBatches b = new EvalBatches(data.test(), Math.min(cfg.batch(), data.test().size()),
                     ChannelStats.of(train))) {
            NachosTrial.load(model, weights);
            test = ExitOutputs.collect(model, b);
        }
        return report(net, test, thresholds, net.tracedExitMacs(train.channels(), train.height()));
    }

    /** The report for given exit outputs: decisions from the thresholds, MACs summed per sample. */
    public static Report report(EarlyExitNetwork net, ExitOutputs outputs, double[] thresholds, long[] exitMacs) {
        int exits = net.exits();
        int[] decision = ExitScores.decisions(outputs.confidence(), thresholds);
        long[] taken = new long[exits];
        long[] right = new long[exits];
        long correct = 0;
        double spent = 0;
        for (int i = 0; i < decision.length; i++) {
            int j = decision[i];
            taken[j]++;
            spent += exitMacs[j];
            if (outputs.correct()[i][j]) {
                right[j]++;
                correct++;
            }
        }
        int[] stages = new int[exits];
        int[] pools = new int[exits];
        int[] placed = net.placement().stages();
        for (int j = 0; j < exits; j++) {
            stages[j] = j < exits - 1 ? placed[j] + 1 : 5;
            pools[j] = j < exits - 1 ? net.costs().heads()[j].pool() : 1;
        }
        int n = decision.length;
        return new Report(stages, pools, thresholds.clone(), taken, right, exitMacs.clone(), correct / (double) n,
                spent / n, outputs.exitAccuracy(exits - 1), n);
    }
}
