package archway.search;

import java.util.Arrays;

/**
 * PC-DARTS edge normalisation (docs/specs/darts-family.md): one parameter beta per edge; intermediate node
 * i weights its incoming edges by softmax(beta) over those edges. The weights reach the supernet through its
 * edge-normalisation MIX blocks and enter the genotype as p(op) * weight(edge). Computed in double precision
 * on the host (a few dozen numbers).
 */
final class EdgeNormalisation {
    private final int[] nodeInputs;
    private final int size;

    /** @param nodeInputs incoming edges of each intermediate node, in row order over all blocks */
    EdgeNormalisation(int[] nodeInputs) {
        this.nodeInputs = nodeInputs.clone();
        this.size = Arrays.stream(nodeInputs).sum();
    }

    /** Parameters (= edges). */
    int size() { return size; }

    /** The edge weights: softmax of {@code theta[from, from + size)} over each node's edges. */
    double[] weights(double[] theta, int from) {
        double[] w = new double[size];
        int at = 0;
        for (int n : nodeInputs) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, theta[from + at + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                w[at + j] = Math.exp(theta[from + at + j] - max);
                sum += w[at + j];
            }
            for (int j = 0; j < n; j++) {
                w[at + j] /= sum;
            }
            at += n;
        }
        return w;
    }

    /**
     * dL/dbeta from the weights {@code w = shown[from, from + size)} and dL/dw ({@code dw} at the same
     * offset), written to {@code out[from, from + size)}: per node, w_j (dw_j - sum_k w_k dw_k).
     */
    void backward(double[] shown, double[] dw, double[] out, int from) {
        int at = from;
        for (int n : nodeInputs) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += shown[at + j] * dw[at + j];
            }
            for (int j = 0; j < n; j++) {
                out[at + j] = shown[at + j] * (dw[at + j] - dot);
            }
            at += n;
        }
    }
}
