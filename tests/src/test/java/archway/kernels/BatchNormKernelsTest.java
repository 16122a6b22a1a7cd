package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.uniform;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.BatchNormDesc;
import archway.bindings.cpu.BatchNormKernels;
import archway.bindings.cpu.CpuLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batch norm against a double reference, PyTorch's running-statistics formula and finite differences;
 * bit-reproducibility over team sizes; the saved-statistics forward against the training forward.
 */
class BatchNormKernelsTest {
    private static final float EPS = 1e-5f;

    /** Batch mean and biased variance per channel. */
    static double[][] stats(double[] x, int n, int c, int hw) {
        double[] mean = new double[c], var = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    s += x[(b * c + ch) * hw + i];
                }
            }
            mean[ch] = s / m;
            double q = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    double t = x[(b * c + ch) * hw + i] - mean[ch];
                    q += t * t;
                }
            }
            var[ch] = q / m;
        }
        return new double[][] {mean, var};
    }

    /** y = (x - mean) / sqrt(var + eps) gamma + beta with the given statistics; gamma/beta null = non-affine. */
    static double[] normalise(double[] x, double[] mean, double[] var, double[] gamma, double[] beta, int n, int c, int hw) {
        double[] y = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double inv = 1 / Math.sqrt(var[ch] + EPS);
                for (int i = 0; i < hw; i++) {
                    int j = (b * c + ch) * hw + i;
                    y[j] = (x[j] - mean[ch]) * inv * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]);
                }
            }
        }
        return y;
    }

    static double[] train(double[] x, double[] gamma, double[] beta, int n, int c, int hw) {
        double[][] st = stats(x, n, c, hw);
        return normalise(x, st[0], st[1], gamma, beta, n, c, hw);
    }

    @Test
    void trainingForwardRunningStatsAndBackward() {
        Random r = new Random(21);
        int[][] shapes = {{2, 3, 5}, {3, 2, 1}, {1, 4, 7}, {4, 3, 9}};
        for (int[] sh : shapes) {
            for (boolean affine : new boolean[] {true, false}) {
                int n = sh[0], c = sh[1], hw = sh[2], size = n * c * hw;
                String tag = "shape " + n + "x" + c + "x" + hw + (affine ? " affine" : " plain");
                try (Arena arena = Arena.ofConfined()) {
                    BatchNormDesc d = BatchNormDesc.of(arena, n, c, hw, EPS, 0.1f);
                    // An offset mean checks that centring happens before scaling.
                    double[] x = randn(r, size, 2);
                    for (int i = 0; i < size; i++) {
                        x[i] = (float) (x[i] + 3);
                    }
                    double[] gamma = affine ? uniform(r, c, 0.5, 1.5) : null, beta = affine ? randn(r, c, 1) : null;
                    double[] rm = randn(r, c, 1), rv = uniform(r, c, 0.5, 2);
                    MemorySegment sx = floats(arena, x), y = zeros(arena, size), mean = zeros(arena, c), inv = zeros(arena, c);
                    MemorySegment sg = affine ? floats(arena, gamma) : MemorySegment.NULL;
                    MemorySegment sb = affine ? floats(arena, beta) : MemorySegment.NULL;
                    MemorySegment srm = floats(arena, rm), srv = floats(arena, rv);
                    BatchNormKernels.bnFwdTrain(d, sx, sg, sb, y, mean, inv, srm, srv);
                    assertClose(train(x, gamma, beta, n, c, hw), read(y), 1e-5, tag + " y");

                    double[][] st = stats(x, n, c, hw);
                    double[] invstd = new double[c], erm = new double[c], erv = new double[c];
                    int m = n * hw;
                    for (int ch = 0; ch < c; ch++) {
                        invstd[ch] = 1 / Math.sqrt(st[1][ch] + EPS);
                        // PyTorch: running = (1 - momentum) running + momentum batch, unbiased variance.
                        erm[ch] = 0.9 * rm[ch] + 0.1 * st[0][ch];
                        erv[ch] = 0.9 * rv[ch] + 0.1 * st[1][ch] * m / (m - 1);
                    }
                    assertClose(st[0], read(mean), 1e-6, tag + " saved mean");
                    assertClose(invstd, read(inv), 1e-6, tag + " saved invstd");
                    assertClose(erm, read(srm), 1e-6, tag + " running mean");
                    assertClose(erv, read(srv), 1e-6, tag + " running var");

                    double[] dy = randn(r, size, 1);
                    MemorySegment sdy = floats(arena, dy), dx = zeros(arena, size);
                    MemorySegment dg = affine ? zeros(arena, c) : MemorySegment.NULL, db = affine ? zeros(arena, c) : MemorySegment.NULL;
                    BatchNormKernels.bnBwd(d, sx, sdy, sg, mean, inv, dx, dg, db, false, false);
                    double[] gx = numericGrad(v -> train(v, gamma, beta, n, c, hw), x, dy, 1e-3);
                    assertClose(gx, read(dx), 2e-4, tag + " dx");
                    if (affine) {
                        double[] gg = numericGrad(v -> train(x, v, beta, n, c, hw), gamma, dy, 1e-3);
                        double[] gb = numericGrad(v -> train(x, gamma, v, n, c, hw), beta, dy, 1e-3);
                        assertClose(gg, read(dg), 1e-5, tag + " dgamma");
                        assertClose(gb, read(db), 1e-5, tag + " dbeta");
                        BatchNormKernels.bnBwd(d, sx, sdy, sg, mean, inv, dx, dg, db, true, true);
                        assertClose(KernelTesting.add(gx, gx), read(dx), 2e-4, tag + " dx accumulated");
                        assertClose(KernelTesting.add(gg, gg), read(dg), 1e-5, tag + " dgamma accumulated");
                        assertClose(KernelTesting.add(gb, gb), read(db), 1e-5, tag + " dbeta accumulated");
                    }
                }
            }
        }
    }

    /** Backward in closed form: dx = gamma invstd (dy - mean(dy) - xhat mean(dy xhat)), dgamma, dbeta. */
    static double[][] backward(double[] x, double[] dy, double[] gamma, int n, int c, int hw) {
        double[][] st = stats(x, n, c, hw);
        double[] dx = new double[x.length], dg = new double[c], db = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double inv = 1 / Math.sqrt(st[1][ch] + EPS), sdy = 0, sdyx = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    int j = (b * c + ch) * hw + i;
                    sdy += dy[j];
                    sdyx += dy[j] * (x[j] - st[0][ch]) * inv;
                }
            }
            dg[ch] = sdyx;
            db[ch] = sdy;
            double g = gamma == null ? 1 : gamma[ch];
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    int j = (b * c + ch) * hw + i;
                    double xhat = (x[j] - st[0][ch]) * inv;
                    dx[j] = g * inv * (dy[j] - sdy / m - xhat * sdyx / m);
                }
            }
        }
        return new double[][] {dx, dg, db};
    }

    /**
     * The statistics blocks of the kernels: planes grouped whole (hw up to 1024), cut into pieces (larger
     * planes), vector tails (hw not a multiple of 16), hw = 1 (many planes a block), n = 1 with a plane
     * of several values, and a mean far from zero relative to the spread.
     */
    @Test
    void statisticsBlocksMatchDoubleReference() {
        Random r = new Random(23);
        int[][] shapes = {{64, 3, 49}, {5, 2, 17}, {3000, 2, 1}, {1, 3, 5}, {1, 2, 15}, {2, 3, 2500}, {4, 2, 1024},
                {3, 2, 1025}, {64, 4, 196}};
        for (int[] sh : shapes) {
            for (double offset : new double[] {3, 1000}) {
                int n = sh[0], c = sh[1], hw = sh[2], size = n * c * hw;
                String tag = "shape " + n + "x" + c + "x" + hw + " offset " + offset;
                try (Arena arena = Arena.ofConfined()) {
                    BatchNormDesc d = BatchNormDesc.of(arena, n, c, hw, EPS, 0.1f);
                    double[] x = randn(r, size, 2);
                    for (int i = 0; i < size; i++) {
                        x[i] = (float) (x[i] + offset);
                    }
                    double[] gamma = uniform(r, c, 0.5, 1.5), beta = randn(r, c, 1), dy = randn(r, size, 1);
                    MemorySegment sx = floats(arena, x), y = zeros(arena, size), mean = zeros(arena, c), inv = zeros(arena, c);
                    MemorySegment sg = floats(arena, gamma), sb = floats(arena, beta);
                    BatchNormKernels.bnFwdTrain(d, sx, sg, sb, y, mean, inv, MemorySegment.NULL, MemorySegment.NULL);
                    double[][] st = stats(x, n, c, hw);
                    double[] invstd = new double[c];
                    for (int ch = 0; ch < c; ch++) {
                        invstd[ch] = 1 / Math.sqrt(st[1][ch] + EPS);
                    }
                    assertClose(st[0], read(mean), 1e-6, tag + " saved mean");
                    assertClose(invstd, read(inv), 1e-6, tag + " saved invstd");
                    // Around offset 1000 a float holds x to 6e-5 of the spread of 2: y carries that rounding.
                    assertClose(train(x, gamma, beta, n, c, hw), read(y), offset > 100 ? 1e-4 : 1e-5, tag + " y");

                    MemorySegment dx = zeros(arena, size), dg = zeros(arena, c), db = zeros(arena, c);
                    BatchNormKernels.bnBwd(d, sx, floats(arena, dy), sg, mean, inv, dx, dg, db, false, false);
                    double[][] ref = backward(x, dy, gamma, n, c, hw);
                    double tol = offset > 100 ? 1e-4 : 1e-5;
                    assertClose(ref[0], read(dx), tol, tag + " dx");
                    assertClose(ref[1], read(dg), tol, tag + " dgamma");
                    assertClose(ref[2], read(db), 1e-5, tag + " dbeta");
                }
            }
        }
    }

    /**
     * Every output is bit-identical for team sizes 1, 2 and 3 (on 2 threads three channels of a call
     * this large are split by blocks, on 1 and 3 by channel), and the saved-statistics forward repeats
     * the training forward's y bit for bit.
     */
    @Test
    void bitIdenticalForAnyTeamAndSavedForwardRepeatsTraining() {
        Random r = new Random(24);
        int n = 2, c = 3, hw = 360_007, size = n * c * hw;
        int saved = CpuLibrary.threads();
        try (Arena arena = Arena.ofConfined()) {
            BatchNormDesc d = BatchNormDesc.of(arena, n, c, hw, EPS, 0.1f);
            double[] x = randn(r, size, 2), gamma = uniform(r, c, 0.5, 1.5), beta = randn(r, c, 1), dy = randn(r, size, 1);
            MemorySegment sx = floats(arena, x), sg = floats(arena, gamma), sb = floats(arena, beta), sdy = floats(arena, dy);
            float[][] first = null;
            for (int threads : new int[] {1, 2, 3}) {
                CpuLibrary.setThreads(threads);
                MemorySegment y = zeros(arena, size), mean = zeros(arena, c), inv = zeros(arena, c);
                MemorySegment rm = zeros(arena, c), rv = zeros(arena, c), y2 = zeros(arena, size);
                MemorySegment dx = zeros(arena, size), dg = zeros(arena, c), db = zeros(arena, c);
                BatchNormKernels.bnFwdTrain(d, sx, sg, sb, y, mean, inv, rm, rv);
                BatchNormKernels.bnFwdSaved(d, sx, sg, sb, mean, inv, y2);
                BatchNormKernels.bnBwd(d, sx, sdy, sg, mean, inv, dx, dg, db, false, false);
                assertArrayEquals(read(y), read(y2), "saved forward, threads " + threads);
                float[][] now = {read(y), read(mean), read(inv), read(rm), read(rv), read(dx), read(dg), read(db)};
                if (first == null) {
                    first = now;
                    double[][] st = stats(x, n, c, hw);
                    assertClose(st[0], read(mean), 1e-6, "large planes: saved mean");
                    assertClose(train(x, gamma, beta, n, c, hw), read(y), 1e-5, "large planes: y");
                    assertClose(backward(x, dy, gamma, n, c, hw)[0], read(dx), 1e-5, "large planes: dx");
                } else {
                    for (int k = 0; k < now.length; k++) {
                        assertArrayEquals(first[k], now[k], "output " + k + ", threads " + threads);
                    }
                }
            }
        } finally {
            CpuLibrary.setThreads(saved);
        }
    }

    /**
     * bn_add: each term bit-identical to the saved forward of its own statistics, summed left to right as
     * the elementwise adds do (two batch norms, one affine, and a plain term), for every team size; and
     * the statistics-only training forward (y NULL) saves exactly what the full one saves.
     */
    @Test
    void addAppliesSavedStatisticsBitForBitAndStatisticsOnlyForwardSavesTheSame() {
        Random r = new Random(25);
        int n = 3, c = 4, hw = 50_001, size = n * c * hw;
        int saved = CpuLibrary.threads();
        try (Arena arena = Arena.ofConfined()) {
            BatchNormDesc d = BatchNormDesc.of(arena, n, c, hw, EPS, 0.1f);
            MemorySegment a = floats(arena, randn(r, size, 2)), b = floats(arena, randn(r, size, 3));
            MemorySegment p = floats(arena, randn(r, size, 1));
            MemorySegment g = floats(arena, uniform(r, c, 0.5, 1.5)), be = floats(arena, randn(r, c, 1));
            MemorySegment ma = zeros(arena, c), ia = zeros(arena, c), mb = zeros(arena, c), ib = zeros(arena, c);
            MemorySegment ya = zeros(arena, size), yb = zeros(arena, size), none = MemorySegment.NULL;
            BatchNormKernels.bnFwdTrain(d, a, g, be, ya, ma, ia, none, none);
            MemorySegment ma2 = zeros(arena, c), ia2 = zeros(arena, c), rm = zeros(arena, c), rv = zeros(arena, c);
            MemorySegment rm2 = zeros(arena, c), rv2 = zeros(arena, c);
            BatchNormKernels.bnFwdTrain(d, b, none, none, yb, mb, ib, rm, rv);
            BatchNormKernels.bnFwdTrain(d, b, none, none, none, ma2, ia2, rm2, rv2);  // statistics only
            assertArrayEquals(read(mb), read(ma2), "statistics-only mean");
            assertArrayEquals(read(ib), read(ia2), "statistics-only invstd");
            assertArrayEquals(read(rv), read(rv2), "statistics-only running variance");
            float[] ra = read(ya), rb = read(yb), rp = read(p), expected = new float[size];
            for (int i = 0; i < size; i++) {
                expected[i] = (ra[i] + rp[i]) + rb[i];
            }
            MemorySegment terms = BatchNormKernels.addTerms(arena, d,
                    new BatchNormKernels.AddTerm(a, ma, ia, g, be), new BatchNormKernels.AddTerm(p, none, none, none, none),
                    new BatchNormKernels.AddTerm(b, mb, ib, none, none));
            for (int threads : new int[] {1, 2, 3}) {
                CpuLibrary.setThreads(threads);
                MemorySegment y = zeros(arena, size);
                BatchNormKernels.bnAdd(d, terms, 3, y);
                assertArrayEquals(expected, read(y), "BN(a) + p + BN(b), threads " + threads);
            }
            MemorySegment small = zeros(arena, size - 1);
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.addTerms(arena, d,
                    new BatchNormKernels.AddTerm(small, none, none, none, none)));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.addTerms(arena, d,
                    new BatchNormKernels.AddTerm(a, ma, none, none, none)));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.addTerms(arena, d,
                    new BatchNormKernels.AddTerm(a, zeros(arena, c - 1), ia, none, none)));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnAdd(d, terms, 2, zeros(arena, size)));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnAdd(d, terms, 3, small));
            BatchNormDesc larger = BatchNormDesc.of(arena, n + 1, c, hw, EPS, 0.1f);
            assertThrows(IllegalArgumentException.class,
                    () -> BatchNormKernels.bnAdd(larger, terms, 3, zeros(arena, (long) (n + 1) * c * hw)));
            // y aliasing a term's x is refused by the kernel (one clear error, nothing written through).
            assertThrows(RuntimeException.class, () -> BatchNormKernels.bnAdd(d, terms, 3, a));
        } finally {
            CpuLibrary.setThreads(saved);
        }
    }

    @Test
    void evalUsesRunningStatistics() {
        Random r = new Random(22);
        int n = 3, c = 5, hw = 11, size = n * c * hw;
        try (Arena arena = Arena.ofConfined()) {
            BatchNormDesc d = BatchNormDesc.of(arena, n, c, hw, EPS, 0.1f);
            double[] x = randn(r, size, 1), g = uniform(r, c, 0.5, 1.5), b = randn(r, c, 1);
            double[] rm = randn(r, c, 1), rv = uniform(r, c, 0.5, 2);
            MemorySegment y = zeros(arena, size);
            BatchNormKernels.bnFwdEval(d, floats(arena, x), floats(arena, g), floats(arena, b), floats(arena, rm),
                    floats(arena, rv), y);
            assertClose(normalise(x, rm, rv, g, b, n, c, hw), read(y), 1e-6, "eval affine");
            BatchNormKernels.bnFwdEval(d, floats(arena, x), MemorySegment.NULL, MemorySegment.NULL, floats(arena, rm),
                    floats(arena, rv), y);
            assertClose(normalise(x, rm, rv, null, null, n, c, hw), read(y), 1e-6, "eval plain");
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            BatchNormDesc d = BatchNormDesc.of(arena, 2, 3, 4);
            MemorySegment x = zeros(arena, 24), small = zeros(arena, 23), c = zeros(arena, 3), c2 = zeros(arena, 2);
            MemorySegment none = MemorySegment.NULL;
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnFwdTrain(d, small, none, none, x, c, c, none, none));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnFwdTrain(d, x, c2, none, x, c, c, none, none));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnFwdTrain(d, x, none, none, x, c, c, c, none));
            assertThrows(IllegalArgumentException.class,
                    () -> BatchNormKernels.bnFwdTrain(BatchNormDesc.of(arena, 1, 3, 1), c, none, none, c, c, c, none, none));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnFwdEval(d, x, none, none, none, c, x));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnFwdSaved(d, x, none, none, none, c, x));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnFwdSaved(d, x, none, none, c, c, small));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnBwd(d, x, x, none, c2, c, x, none, none, false, false));
            assertThrows(IllegalArgumentException.class, () -> BatchNormKernels.bnBwd(d, x, x, none, c, c, small, none, none, false, false));
        }
    }
}
