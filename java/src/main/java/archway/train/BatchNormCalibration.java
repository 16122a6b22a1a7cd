package archway.train;

import archway.data.Batch;
import archway.data.EvalBatches;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.BatchNormShape;
import archway.runtime.Buffer;

/**
 * Sets a network's batch-norm running statistics to their averages over a set of batches (as once-for-all
 * does for a subnet taken from a supernet): running mean = image-weighted mean of the batch means, running
 * variance = image-weighted mean of the (unbiased) batch variances, each batch normalised by its own
 * statistics as in training. Weights are not touched; nothing but the state buffer changes.
 *
 * <p>How: before each batch the state is zeroed and a TRAIN-mode forward pass runs, after which every running
 * statistic holds {@link BatchNormShape#MOMENTUM} times that batch's statistic; the sums are kept in double
 * on the host. In TRAIN mode the running statistics do not enter the forward computation, so zeroing them
 * changes nothing else.
 */
public final class BatchNormCalibration {
    private BatchNormCalibration() {
    }

    /**
     * Recalibrates {@code net}'s running statistics on the batches of {@code batches} (a batch of one image is
     * skipped: a 1x1 feature map would have no unbiased variance); returns the number of images used.
     */
    public static int recalibrate(Network net, EvalBatches batches) {
        ParamStore params = net.params();
        Buffer state = params.state();
        int n = Math.toIntExact(params.flatLength(ValueKind.STATE));
        if (n == 0) {
            return 0;
        }
        double[] sum = new double[n];
        float[] read = new float[n];
        int images = 0;
        batches.reset();
        while (batches.hasNext()) {
            Batch b = batches.next();
            if (b.size() < 2) {
                continue; // one image at a 1x1 stage has no unbiased variance
            }
            params.flat().fill(state, n, 0f);
            Pass p = net.pass(b.size(), Mode.TRAIN);
            p.load(b.images(), b.labels());
            p.forward();
            state.read(0, read);
            for (int i = 0; i < n; i++) {
                sum[i] += (double) read[i] * b.size();
            }
            images += b.size();
        }
        if (images == 0) {
            throw new IllegalArgumentException("batch-norm recalibration needs at least one image");
        }
        float[] mean = new float[n];
        for (int i = 0; i < n; i++) {
            mean[i] = (float) (sum[i] / ((double) BatchNormShape.MOMENTUM * images));
        }
        state.write(0, mean);
        return images;
    }
}
