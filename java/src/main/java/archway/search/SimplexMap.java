package archway.search;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;

/**
 * Row-wise map from architecture parameters to mixing weights on the simplex: softmax (DARTS) or
 * sparsemax (ZO-DARTS+), both on alpha / temperature, computed by the backend's kernels.
 */
public final class SimplexMap implements AutoCloseable {
    /** Which simplex projection. */
    public enum Kind { SOFTMAX, SPARSEMAX }

    private final Kind kind;
    private final int rows, cols;
    private final FlatOps flat;
    private final BufferArena arena;
    private final Buffer x, y, dy, dx;

    /** A map on the default backend. */
    public SimplexMap(Kind kind, int rows, int cols) {
        this(Backends.standard(), kind, rows, cols);
    }

    public SimplexMap(Backend backend, Kind kind, int rows, int cols) {
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.flat = backend.flat();
        this.arena = backend.arena();
        long n = (long) rows * cols;
        x = arena.allocate(n);
        y = arena.allocate(n);
        dy = arena.allocate(n);
        dx = arena.allocate(n);
    }

    public Kind kind() { return kind; }

    /** p = map(alpha / temperature), row-wise. */
    public double[] forward(double[] alpha, double temperature) {
        put(x, alpha);
        if (kind == Kind.SOFTMAX) {
            flat.softmaxRows(x, y, rows, cols, (float) temperature);
        } else {
            flat.sparsemaxRows(x, y, rows, cols, (float) temperature);
        }
        return get(y);
    }

    /** dL/dalpha from p = forward(alpha) and dL/dp (vector-Jacobian product, including 1/T). */
    public double[] backward(double[] p, double[] dp, double temperature) {
        put(y, p);
        put(dy, dp);
        if (kind == Kind.SOFTMAX) {
            flat.softmaxRowsBackward(y, dy, dx, rows, cols, (float) temperature, false);
        } else {
            flat.sparsemaxRowsBackward(y, dy, dx, rows, cols, (float) temperature, false);
        }
        return get(dx);
    }

    private void put(Buffer s, double[] v) {
        if (v.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows * cols + " values, got " + v.length);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        s.write(0, f);
    }

    private double[] get(Buffer s) {
        float[] f = new float[rows * cols];
        s.read(0, f);
        double[] out = new double[f.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
