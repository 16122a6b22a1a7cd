package archway.search;

/** Small dense vector helpers for architecture parameters (tens to hundreds of entries). */
public final class Vectors {
    private Vectors() {
    }

    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** a * x + y as a new array. */
    public static double[] axpy(double a, double[] x, double[] y) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = a * x[i] + y[i];
        }
        return out;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
