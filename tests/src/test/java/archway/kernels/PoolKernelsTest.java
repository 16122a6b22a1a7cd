package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cpu.PoolKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Average / max / global pooling against straight-loop references; gradients by finite differences. */
class PoolKernelsTest {
    /** {n, c, h, w, kh, kw, stride_h, stride_w, pad_h, pad_w}, odd sizes and borders included. */
    private static final int[][] SHAPES = {
        {2, 3, 7, 5, 3, 3, 1, 1, 1, 1}, {1, 2, 8, 8, 3, 3, 2, 2, 1, 1}, {2, 2, 5, 7, 2, 2, 2, 2, 0, 0},
        {1, 1, 6, 9, 3, 2, 2, 1, 1, 1}, {1, 2, 3, 3, 3, 3, 1, 1, 1, 1}, {3, 1, 1, 1, 1, 1, 1, 1, 0, 0},
        // Non-overlapping windows (stride = kernel, no padding): the tiled path, with and without
        // uncovered last rows / columns, kernel 2 and 3, one cell per window.
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0}, {1, 2, 7, 11, 3, 3, 3, 3, 0, 0}, {1, 1, 5, 6, 1, 2, 1, 2, 0, 0},
        {1, 2, 4, 5, 2, 1, 2, 1, 0, 0}, {1, 2, 28, 28, 2, 2, 2, 2, 0, 0}, {1, 2, 9, 37, 2, 2, 2, 2, 0, 0}};

    static Pool2dDesc desc(Arena arena, int[] s, boolean countPad) {
        return Pool2dDesc.of(arena, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], countPad);
    }

    static double[] avgRef(Pool2dDesc d, double[] x) {
        double[] y = new double[(int) d.outputSize()];
        for (int p = 0; p < d.n * d.c; p++) {
            for (int i = 0; i < d.oh; i++) {
                for (int j = 0; j < d.ow; j++) {
                    double s = 0;
                    int inside = 0;
                    for (int a = 0; a < d.kh; a++) {
                        for (int b = 0; b < d.kw; b++) {
                            int r = i * d.strideH - d.padH + a, c = j * d.strideW - d.padW + b;
                            if (r >= 0 && r < d.h && c >= 0 && c < d.w) {
                                s += x[(p * d.h + r) * d.w + c];
                                inside++;
                            }
                        }
                    }
                    y[(p * d.oh + i) * d.ow + j] = s / (d.countIncludePad ? d.kh * d.kw : inside);
                }
            }
        }
        return y;
    }

    /** Index of the first maximum (row-major) of each window. */
    static int[] argmaxRef(Pool2dDesc d, double[] x) {
        int[] idx = new int[(int) d.outputSize()];
        for (int p = 0; p < d.n * d.c; p++) {
            for (int i = 0; i < d.oh; i++) {
                for (int j = 0; j < d.ow; j++) {
                    int best = -1;
                    for (int a = 0; a < d.kh; a++) {
                        for (int b = 0; b < d.kw; b++) {
                            int r = i * d.strideH - d.padH + a, c = j * d.strideW - d.padW + b;
                            int k = (p * d.h + r) * d.w + c;
                            if (r >= 0 && r < d.h && c >= 0 && c < d.w && (best < 0 || x[k] > x[best])) {
                                best = k;
                            }
                        }
                    }
                    idx[(p * d.oh + i) * d.ow + j] = best;
                }
            }
        }
        return idx;
    }

    static double[] maxRef(Pool2dDesc d, double[] x) {
        int[] idx = argmaxRef(d, x);
        double[] y = new double[idx.length];
        for (int o = 0; o < idx.length; o++) {
            y[o] = x[idx[o]];
        }
        return y;
    }

    @Test
    void averagePoolingBothPaddingConventions() {
        Random r = new Random(31);
        for (int[] s : SHAPES) {
            for (boolean countPad : new boolean[] {false, true}) {
                try (Arena arena = Arena.ofConfined()) {
                    Pool2dDesc d = desc(arena, s, countPad);
                    int in = (int) d.inputSize(), out = (int) d.outputSize();
                    double[] x = randn(r, in, 1), dy = randn(r, out, 1);
                    MemorySegment y = zeros(arena, out), dx = zeros(arena, in);
                    PoolKernels.avgpool2dFwd(d, floats(arena, x), y);
                    String tag = java.util.Arrays.toString(s) + " countPad=" + countPad;
                    assertClose(avgRef(d, x), read(y), 1e-6, tag + " fwd");
                    PoolKernels.avgpool2dBwd(d, floats(arena, dy), dx, false);
                    double[] g = numericGrad(v -> avgRef(d, v), x, dy, 1e-3);
                    assertClose(g, read(dx), 1e-5, tag + " bwd");
                    PoolKernels.avgpool2dBwd(d, floats(arena, dy), dx, true);
                    assertClose(KernelTesting.add(g, g), read(dx), 1e-5, tag + " bwd accumulate");
                }
            }
        }
    }

    /**
     * The 2 x 2 / 2 pool of the NB201 reduction (16 outputs at a time by permutes in the avx512 build)
     * promises the bits of the straight float loops: y = ((((0 + x00) + x01) + x10) + x11) * 0.25f;
     * backward dx = (0 or dx) + dy * 0.25f in both columns and rows of a window, cells outside every
     * window 0 (or untouched when accumulating). Widths cross one and two vector chunks, with an uncovered
     * last column and row.
     */
    @Test
    void twoByTwoAveragePoolingEqualsTheFloatLoopsBitForBit() {
        int[][] shapes = {{2, 3, 28, 28, 2, 2, 2, 2, 0, 0}, {1, 2, 9, 37, 2, 2, 2, 2, 0, 0}, {1, 1, 5, 67, 2, 2, 2, 2, 0, 0},
            {3, 2, 14, 14, 2, 2, 2, 2, 0, 0}, {1, 1, 2, 2, 2, 2, 2, 2, 0, 0}};
        Random rng = new Random(43);
        for (int[] s : shapes) {
            for (boolean accumulate : new boolean[] {false, true}) {
                try (Arena arena = Arena.ofConfined()) {
                    Pool2dDesc d = desc(arena, s, true);
                    int in = (int) d.inputSize(), out = (int) d.outputSize();
                    float[] x = new float[in], dy = new float[out], dx0 = new float[in];
                    for (int i = 0; i < in; i++) {
                        x[i] = (float) rng.nextGaussian();
                        dx0[i] = (float) rng.nextGaussian();  // garbage the non-accumulating pass overwrites
                    }
                    for (int i = 0; i < out; i++) {
                        dy[i] = (float) rng.nextGaussian();
                    }
                    float[] yRef = new float[out], dxRef = accumulate ? dx0.clone() : new float[in];
                    for (int p = 0; p < d.n * d.c; p++) {
                        for (int i = 0; i < d.oh; i++) {
                            for (int j = 0; j < d.ow; j++) {
                                float sum = 0f;
                                for (int r = 2 * i; r < 2 * i + 2; r++) {
                                    for (int c = 2 * j; c < 2 * j + 2; c++) {
                                        sum += x[(p * d.h + r) * d.w + c];
                                    }
                                }
                                yRef[(p * d.oh + i) * d.ow + j] = sum * 0.25f;
                                float g = dy[(p * d.oh + i) * d.ow + j] * 0.25f;
                                for (int r = 2 * i; r < 2 * i + 2; r++) {
                                    for (int c = 2 * j; c < 2 * j + 2; c++) {
                                        dxRef[(p * d.h + r) * d.w + c] += g;
                                    }
                                }
                            }
                        }
                    }
                    MemorySegment y = zeros(arena, out), dx = floats(arena, dx0);
                    PoolKernels.avgpool2dFwd(d, floats(arena, x), y);
                    PoolKernels.avgpool2dBwd(d, floats(arena, dy), dx, accumulate);
                    String tag = java.util.Arrays.toString(s) + " accumulate=" + accumulate;
                    assertArrayEquals(yRef, read(y), tag + " forward");
                    assertArrayEquals(dxRef, read(dx), tag + " backward");
                }
            }
        }
    }

    /**
     * Stride-1 average pooling (the 3x3 cell pool; vectorised 16 columns at a time in the avx512 build)
     * promises the bits of the straight float loops: forward sums each window row by row, column by
     * column, then multiplies by the float 1/count; backward adds dy * (1/count) into each dx cell in
     * (output row, output column) order. Widths above 16 cross vector chunks; odd kernels and paddings.
     */
    @Test
    void strideOneAveragePoolingEqualsTheFloatLoopsBitForBit() {
        int[][] shapes = {{2, 3, 32, 32, 3, 3, 1, 1, 1, 1}, {1, 2, 5, 37, 3, 3, 1, 1, 1, 1}, {1, 2, 9, 20, 5, 5, 1, 1, 2, 2},
            {2, 1, 6, 18, 3, 3, 1, 1, 0, 0}, {1, 1, 3, 17, 3, 1, 1, 1, 1, 0}, {1, 3, 8, 8, 3, 3, 1, 1, 1, 1}};
        Random rng = new Random(41);
        for (int[] s : shapes) {
            for (boolean countPad : new boolean[] {false, true}) {
                try (Arena arena = Arena.ofConfined()) {
                    Pool2dDesc d = desc(arena, s, countPad);
                    int in = (int) d.inputSize(), out = (int) d.outputSize();
                    float[] x = new float[in], dy = new float[out], dx0 = new float[in];
                    for (int i = 0; i < in; i++) {
                        x[i] = (float) rng.nextGaussian();
                        dx0[i] = (float) rng.nextGaussian();
                    }
                    for (int i = 0; i < out; i++) {
                        dy[i] = (float) rng.nextGaussian();
                    }
                    float[] yRef = new float[out], dxRef = dx0.clone();
                    for (int p = 0; p < d.n * d.c; p++) {
                        for (int i = 0; i < d.oh; i++) {
                            for (int j = 0; j < d.ow; j++) {
                                int r0 = Math.max(0, i - d.padH), r1 = Math.min(d.h, i - d.padH + d.kh);
                                int c0 = Math.max(0, j - d.padW), c1 = Math.min(d.w, j - d.padW + d.kw);
                                float inv = 1.0f / (countPad ? d.kh * d.kw : (r1 - r0) * (c1 - c0));
                                float sum = 0f;
                                for (int r = r0; r < r1; r++) {
                                    for (int c = c0; c < c1; c++) {
                                        sum += x[(p * d.h + r) * d.w + c];
                                    }
                                }
                                yRef[(p * d.oh + i) * d.ow + j] = sum * inv;
                                float g = dy[(p * d.oh + i) * d.ow + j] * inv;
                                for (int r = r0; r < r1; r++) {
                                    for (int c = c0; c < c1; c++) {
                                        dxRef[(p * d.h + r) * d.w + c] += g;
                                    }
                                }
                            }
                        }
                    }
                    MemorySegment y = zeros(arena, out), dx = floats(arena, dx0);
                    PoolKernels.avgpool2dFwd(d, floats(arena, x), y);
                    PoolKernels.avgpool2dBwd(d, floats(arena, dy), dx, true);
                    String tag = java.util.Arrays.toString(s) + " countPad=" + countPad;
                    assertArrayEquals(yRef, read(y), tag + " forward");
                    assertArrayEquals(dxRef, read(dx), tag + " backward (accumulate)");
                }
            }
        }
    }

    @Test
    void borderCellsAverageOnlyInsideValuesWithoutCountPad() {
        try (Arena arena = Arena.ofConfined()) {
            // All ones: every output is 1 without count_include_pad; the corner is 4/9 with it.
            Pool2dDesc d = Pool2dDesc.square(arena, 1, 1, 4, 4, 3, 1, 1, false);
            MemorySegment x = floats(arena, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), y = zeros(arena, 16);
            PoolKernels.avgpool2dFwd(d, x, y);
            for (float v : read(y)) {
                assertEquals(1f, v, 1e-7f);
            }
            Pool2dDesc dp = Pool2dDesc.square(arena, 1, 1, 4, 4, 3, 1, 1, true);
            PoolKernels.avgpool2dFwd(dp, x, y);
            assertEquals(4f / 9f, read(y)[0], 1e-7f);
            assertEquals(6f / 9f, read(y)[1], 1e-7f);
            assertEquals(1f, read(y)[5], 1e-7f);
        }
    }

    @Test
    void maxPoolingWithDistinctValuesAndTies() {
        Random r = new Random(32);
        for (int[] s : SHAPES) {
            try (Arena arena = Arena.ofConfined()) {
                Pool2dDesc d = desc(arena, s, false);
                int in = (int) d.inputSize(), out = (int) d.outputSize();
                String tag = java.util.Arrays.toString(s);
                // Distinct values: finite differences see a smooth function.
                double[] x = randn(r, in, 1), dy = randn(r, out, 1);
                MemorySegment y = zeros(arena, out), dx = zeros(arena, in);
                PoolKernels.maxpool2dFwd(d, floats(arena, x), y);
                assertClose(maxRef(d, x), read(y), 0, tag + " fwd");
                PoolKernels.maxpool2dBwd(d, floats(arena, x), floats(arena, dy), dx, false);
                assertClose(numericGrad(v -> maxRef(d, v), x, dy, 1e-6), read(dx), 1e-5, tag + " bwd");
                // Heavy ties (values in {0, 1, 2}): the gradient goes to the first maximum of each window.
                double[] t = new double[in];
                for (int i = 0; i < in; i++) {
                    t[i] = r.nextInt(3);
                }
                int[] idx = argmaxRef(d, t);
                double[] expected = new double[in];
                for (int o = 0; o < out; o++) {
                    expected[idx[o]] += dy[o];
                }
                PoolKernels.maxpool2dBwd(d, floats(arena, t), floats(arena, dy), dx, false);
                assertClose(expected, read(dx), 1e-6, tag + " ties bwd");
                PoolKernels.maxpool2dBwd(d, floats(arena, t), floats(arena, dy), dx, true);
                assertClose(KernelTesting.add(expected, expected), read(dx), 1e-6, tag + " ties accumulate");
            }
        }
    }

    @Test
    void globalAveragePooling() {
        Random r = new Random(33);
        for (int[] s : new int[][] {{1, 1, 1}, {2, 3, 7}, {3, 5, 64}}) {
            int n = s[0], c = s[1], hw = s[2];
            try (Arena arena = Arena.ofConfined()) {
                double[] x = randn(r, n * c * hw, 1), dy = randn(r, n * c, 1);
                java.util.function.Function<double[], double[]> ref = v -> {
                    double[] y = new double[n * c];
                    for (int p = 0; p < n * c; p++) {
                        for (int i = 0; i < hw; i++) {
                            y[p] += v[p * hw + i] / hw;
                        }
                    }
                    return y;
                };
                MemorySegment y = zeros(arena, n * c), dx = zeros(arena, n * c * hw);
                PoolKernels.globalAvgpoolFwd(floats(arena, x), y, n, c, hw);
                assertClose(ref.apply(x), read(y), 1e-6, "gap fwd");
                PoolKernels.globalAvgpoolBwd(floats(arena, dy), dx, n, c, hw, false);
                double[] g = numericGrad(ref, x, dy, 1e-3);
                assertClose(g, read(dx), 1e-6, "gap bwd");
                PoolKernels.globalAvgpoolBwd(floats(arena, dy), dx, n, c, hw, true);
                assertClose(KernelTesting.add(g, g), read(dx), 1e-6, "gap bwd accumulate");
            }
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            Pool2dDesc d = Pool2dDesc.square(arena, 1, 2, 5, 5, 3, 2, 1, false);
            MemorySegment x = zeros(arena, 50), y = zeros(arena, 18), small = zeros(arena, 17);
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.avgpool2dFwd(d, x, small));
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.avgpool2dBwd(d, y, small, false));
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.maxpool2dFwd(d, small, y));
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.maxpool2dBwd(d, x, small, x, false));
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.globalAvgpoolFwd(x, zeros(arena, 1), 1, 2, 25));
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.globalAvgpoolBwd(y, x, 1, 2, 26, false));
            assertThrows(IllegalArgumentException.class, () -> PoolKernels.globalAvgpoolFwd(x, y, 0, 2, 25));
            assertArrayEquals(new float[18], read(y));
        }
    }
}
