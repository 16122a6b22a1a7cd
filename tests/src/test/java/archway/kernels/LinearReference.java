package archway.kernels;

/** Plain double-precision fully connected layer (tests only): y[i, j] = sum_p x[i, p] w[j, p] + b[j]. */
final class LinearReference {
    private LinearReference() {
    }

    static double[] forward(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b[j];
                for (int p = 0; p < in; p++) {
                    s += x[i * in + p] * w[j * in + p];
                }
                y[i * out + j] = s;
            }
        }
        return y;
    }

    /** dx = dy w. */
    static double[] backwardData(double[] dy, double[] w, int n, int in, int out) {
        double[] dx = new double[n * in];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < in; p++) {
                double s = 0;
                for (int j = 0; j < out; j++) {
                    s += dy[i * out + j] * w[j * in + p];
                }
                dx[i * in + p] = s;
            }
        }
        return dx;
    }

    /** dw = dy^T x. */
    static double[] backwardWeight(double[] x, double[] dy, int n, int in, int out) {
        double[] dw = new double[out * in];
        for (int j = 0; j < out; j++) {
            for (int p = 0; p < in; p++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += dy[i * out + j] * x[i * in + p];
                }
                dw[j * in + p] = s;
            }
        }
        return dw;
    }

    /** db = sum over the batch of dy. */
    static double[] backwardBias(double[] dy, int n, int out) {
        double[] db = new double[out];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                db[j] += dy[i * out + j];
            }
        }
        return db;
    }
}
