package archway.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.function.Function;

/** Buffers, random data, tolerance checks and central finite differences shared by the kernel tests. */
final class KernelTesting {
    private KernelTesting() {
    }

    static MemorySegment floats(Arena arena, float[] v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s.asSlice(0, (long) v.length * Float.BYTES);
    }

    static MemorySegment floats(Arena arena, double[] v) {
        return floats(arena, toFloat(v));
    }

    static MemorySegment zeros(Arena arena, long n) {
        return arena.allocate(ValueLayout.JAVA_FLOAT, n);
    }

    static MemorySegment ints(Arena arena, int[] v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_INT, v.length);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_INT, 0, v.length);
        return s;
    }

    static float[] read(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    static double[] readD(MemorySegment s) {
        return toDouble(read(s));
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Gaussian values rounded to float, so the double references see exactly what native code sees. */
    static double[] randn(Random r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Requires |actual_i - expected_i| <= rel (|expected_i| + max_j |expected_j|) + 1e-9: relative error
     * per element, measured against the array's scale for elements near zero (the tiny absolute floor
     * absorbs finite-difference noise where the true value is exactly 0).
     */
    static void assertClose(double[] expected, double[] actual, double rel, String what) {
        if (expected.length > actual.length) {
            fail(what + ": " + actual.length + " values, " + expected.length + " expected");
        }
        double scale = maxAbs(expected);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= rel * (Math.abs(expected[i]) + scale) + 1e-9)) {
                fail(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i] + " (error " + err
                        + ", bound " + rel * (Math.abs(expected[i]) + scale) + ")");
            }
        }
    }

    static void assertClose(double[] expected, float[] actual, double rel, String what) {
        assertClose(expected, toDouble(actual), rel, what);
    }

    /** Gradient of sum(f(x) * r) by central differences of step h, in double. */
    static double[] numericGrad(Function<double[], double[]> f, double[] x, double[] r, double h) {
        double[] g = new double[x.length];
        double[] xp = x.clone();
        for (int i = 0; i < x.length; i++) {
            xp[i] = x[i] + h;
            double lp = dot(f.apply(xp), r);
            xp[i] = x[i] - h;
            double lm = dot(f.apply(xp), r);
            xp[i] = x[i];
            g[i] = (lp - lm) / (2 * h);
        }
        return g;
    }

    static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }
}
