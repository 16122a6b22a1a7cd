package archway.search;

import archway.bindings.cpu.SimplexKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Row-wise map from architecture parameters to mixing weights on the simplex: softmax (DARTS) or
 * sparsemax (ZO-DARTS+), both on alpha / temperature, computed by the native kernels.
 */
public final class SimplexMap implements AutoCloseable {
    /** Which simplex projection. */
    public enum Kind { SOFTMAX, SPARSEMAX }

    private final Kind kind;
    private final int rows, cols;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment x, y, dy, dx;

    public SimplexMap(Kind kind, int rows, int cols) {
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        long bytes = (long) rows * cols * Float.BYTES;
        x = arena.allocate(bytes, 64);
        y = arena.allocate(bytes, 64);
        dy = arena.allocate(bytes, 64);
        dx = arena.allocate(bytes, 64);
    }

    public Kind kind() { return kind; }

    /** p = map(alpha / temperature), row-wise. */
    public double[] forward(double[] alpha, double temperature) {
        put(x, alpha);
        if (kind == Kind.SOFTMAX) {
            SimplexKernels.softmaxRowsFwd(x, y, rows, cols, (float) temperature);
        } else {
            SimplexKernels.sparsemaxRowsFwd(x, y, rows, cols, (float) temperature);
        }
        return get(y);
    }

    /** dL/dalpha from p = forward(alpha) and dL/dp (vector-Jacobian product, including 1/T). */
    public double[] backward(double[] p, double[] dp, double temperature) {
        put(y, p);
        put(dy, dp);
        if (kind == Kind.SOFTMAX) {
            SimplexKernels.softmaxRowsBwd(y, dy, dx, rows, cols, (float) temperature, false);
        } else {
            SimplexKernels.sparsemaxRowsBwd(y, dy, dx, rows, cols, (float) temperature, false);
        }
        return get(dx);
    }

    private void put(MemorySegment s, double[] v) {
        if (v.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows * cols + " values, got " + v.length);
        }
        for (int i = 0; i < v.length; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v[i]);
        }
    }

    private double[] get(MemorySegment s) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
