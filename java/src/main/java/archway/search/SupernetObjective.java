package archway.search;

import archway.nn.Pass;
import java.util.Arrays;

/**
 * The architecture loss of a supernet on the currently loaded batch as a function of the architecture
 * vector theta = [alpha | beta]: p = map(alpha / T) and, with PC-DARTS edge normalisation, the edge weights
 * softmax(beta) per node; one forward and one mix-only backward (no convolution weight gradients),
 * dL/dtheta through both maps, plus the beta-DARTS regulariser (on alpha) when enabled. Implements
 * {@link ArchGradient} for A²M and friends.
 */
final class SupernetObjective implements ArchGradient {
    private final Pass archPass;
    private final MixWeights mix;
    private final SimplexMap map;
    private final int rows, cols, blocks;
    private EdgeNormalisation edgeNorm;
    private double temperature = 1;
    private double betaLambda;
    private int calls;
    private double firstLoss;
    private int firstCorrect;

    /** {@code blocks}: MIX blocks the rows split into evenly (DARTS space: normal and reduce). */
    SupernetObjective(Pass archPass, MixWeights mix, SimplexMap map, int rows, int cols, int blocks) {
        this.blocks = blocks;
        this.archPass = archPass;
        this.mix = mix;
        this.map = map;
        this.rows = rows;
        this.cols = cols;
    }

    /** Adds PC-DARTS edge normalisation: theta gains one beta per edge after alpha (mix must write its blocks). */
    SupernetObjective edgeNormalisation(EdgeNormalisation n) {
        this.edgeNorm = n;
        return this;
    }

    /** Length of theta: alpha, then beta when edge normalisation is on. */
    int size() { return rows * cols + (edgeNorm == null ? 0 : edgeNorm.size()); }

    void temperature(double t) { this.temperature = t; }

    void betaLambda(double lambda) { this.betaLambda = lambda; }

    /** Loads the batch the following gradient calls are evaluated on. */
    void load(archway.data.Batch b) {
        load(b.images(), b.labels());
    }

    /** As {@link #load(archway.data.Batch)} from raw float images and int32 labels. */
    void load(archway.runtime.Buffer images, archway.runtime.Buffer labels) {
        archPass.load(images, labels);
        calls = 0;
    }

    Pass pass() { return archPass; }

    /** Loss and hits of the first evaluation after {@link #load} (the unperturbed alpha). */
    double firstLoss() { return firstLoss; }

    int firstCorrect() { return firstCorrect; }

    /** What the network is shown for theta, without touching it: p = map(alpha / T), then the edge weights. */
    double[] mixingWeights(double[] theta) {
        int n = rows * cols;
        double[] p = map.forward(n == theta.length ? theta : Arrays.copyOf(theta, n), temperature);
        if (edgeNorm == null) {
            return p;
        }
        double[] shown = Arrays.copyOf(p, size());
        System.arraycopy(edgeNorm.weights(theta, n), 0, shown, n, edgeNorm.size());
        return shown;
    }

    /** Writes the mixing (and edge) weights of theta into the network's mix buffer and returns them. */
    double[] applyAlpha(double[] theta) {
        double[] shown = mixingWeights(theta);
        mix.write(shown);
        return shown;
    }

    /** dL/dtheta from the shown weights and dL/d(shown weights) (vector-Jacobian product of both maps). */
    double[] backward(double[] shown, double[] dshown, double temperature) {
        int n = rows * cols;
        if (edgeNorm == null) {
            return map.backward(shown, dshown, temperature);
        }
        double[] g = Arrays.copyOf(map.backward(Arrays.copyOf(shown, n), Arrays.copyOf(dshown, n), temperature), size());
        edgeNorm.backward(shown, dshown, g, n);
        return g;
    }

    @Override
    public double[] at(double[] alpha) {
        double[] p = applyAlpha(alpha);
        archPass.forward();
        float loss = archPass.loss();
        if (!Float.isFinite(loss)) {
            throw new archway.train.TrainingDivergedException("architecture loss became " + loss);
        }
        if (calls++ == 0) {
            firstLoss = loss;
            firstCorrect = archPass.correct();
        }
        archPass.backward();
        double[] dp = mix.readGrad();
        for (int i = 0; i < dp.length; i++) {
            // A weight shown to the network as exactly 0 skipped its op: that dL/dp entry was computed from
            // stale buffers. Sparsemax's Jacobian ignores it; zero it so no stale NaN can leak in.
            if (p[i] == 0) {
                dp[i] = 0;
            }
        }
        double[] g = backward(p, dp, temperature);
        addRegulariser(alpha, g);
        return g;
    }

    /** Records the loss of an evaluation made outside {@link #at} (second-order DARTS). */
    void recordFirst(float loss, int correct) {
        if (calls++ == 0) {
            firstLoss = loss;
            firstCorrect = correct;
        }
    }

    /** Adds the base's regulariser gradient (beta-DARTS, on alpha) to g; nothing for the other bases. */
    void addRegulariser(double[] alpha, double[] g) {
        if (betaLambda > 0) {
            addBetaRegulariser(alpha, g);
        }
    }

    /**
     * d/dalpha of lambda * sum over blocks of mean_e logsumexp(alpha_e) = lambda / E_block * softmax(alpha_e):
     * on the DARTS space the mean over the normal edges plus the mean over the reduce edges, as beta-DARTS.
     */
    private void addBetaRegulariser(double[] alpha, double[] g) {
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, alpha[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(alpha[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                g[r * cols + c] += betaLambda * blocks / rows * Math.exp(alpha[r * cols + c] - max) / sum;
            }
        }
    }
}
