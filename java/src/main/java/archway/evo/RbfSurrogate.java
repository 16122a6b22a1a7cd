package archway.evo;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Cubic radial basis function interpolant with a linear tail (the usual RBF surrogate of surrogate-assisted
 * NAS): f(x) = sum_i w_i |x - x_i|^3 + c_0 + c . x, with the tail orthogonal to the weights. The saddle
 * system is solved by SVD (commons-math3) as a least-squares problem, so repeated points do not break it.
 */
public final class RbfSurrogate implements Surrogate {
    /** The factory the picker uses. */
    public static final Kind KIND = new Kind() {
        @Override
        public String name() {
            return "rbf";
        }

        @Override
        public Surrogate fit(double[][] x, double[] y, long seed) {
            return RbfSurrogate.fit(x, y);
        }
    };

    private final double[][] centres;
    private final double[] weights;
    private final double[] tail;

    private RbfSurrogate(double[][] centres, double[] weights, double[] tail) {
        this.centres = centres;
        this.weights = weights;
        this.tail = tail;
    }

    public static RbfSurrogate fit(double[][] x, double[] y) {
        int n = x.length;
        if (n == 0 || n != y.length) {
            throw new IllegalArgumentException("need matching, non-empty samples: " + n + " vs " + y.length);
        }
        int d = x[0].length;
        int size = n + d + 1;
        double[][] a = new double[size][size];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = kernel(x[i], x[j]);
            }
            a[i][n] = 1;
            a[n][i] = 1;
            for (int k = 0; k < d; k++) {
                a[i][n + 1 + k] = x[i][k];
                a[n + 1 + k][i] = x[i][k];
            }
        }
        double[] rhs = new double[size];
        System.arraycopy(y, 0, rhs, 0, n);
        RealVector solution = new SingularValueDecomposition(new Array2DRowRealMatrix(a, false)).getSolver()
                .solve(new ArrayRealVector(rhs, false));
        double[] all = solution.toArray();
        double[] w = java.util.Arrays.copyOfRange(all, 0, n);
        double[] t = java.util.Arrays.copyOfRange(all, n, size);
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            c[i] = x[i].clone();
        }
        return new RbfSurrogate(c, w, t);
    }

    @Override
    public double predict(double[] x) {
        double f = tail[0];
        for (int k = 0; k < x.length; k++) {
            f += tail[1 + k] * x[k];
        }
        for (int i = 0; i < centres.length; i++) {
            f += weights[i] * kernel(x, centres[i]);
        }
        return f;
    }

    private static double kernel(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double t = a[k] - b[k];
            s += t * t;
        }
        double r = Math.sqrt(s);
        return r * r * r;
    }
}
