package archway.kernels;

import static archway.kernels.KernelTesting.assertClose;
import static archway.kernels.KernelTesting.floats;
import static archway.kernels.KernelTesting.numericGrad;
import static archway.kernels.KernelTesting.randn;
import static archway.kernels.KernelTesting.read;
import static archway.kernels.KernelTesting.zeros;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.ChannelKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Channel-range copy, channel shuffle and spatial shift against index-by-index references. */
class ChannelKernelsTest {
    @Test
    void channelCopyIntoAndOutOfTheMiddle() {
        Random r = new Random(81);
        int n = 3, srcC = 5, dstC = 7, hw = 6, src0 = 1, dst0 = 2, count = 3;
        try (Arena arena = Arena.ofConfined()) {
            double[] src = randn(r, n * srcC * hw, 1), dst = randn(r, n * dstC * hw, 1);
            double[] expected = dst.clone(), added = dst.clone();
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < count; ch++) {
                    for (int i = 0; i < hw; i++) {
                        double v = src[(b * srcC + src0 + ch) * hw + i];
                        expected[(b * dstC + dst0 + ch) * hw + i] = v;
                        added[(b * dstC + dst0 + ch) * hw + i] += v;
                    }
                }
            }
            MemorySegment sd = floats(arena, dst);
            ChannelKernels.channelCopy(floats(arena, src), sd, n, srcC, src0, dstC, dst0, count, hw, false);
            assertClose(expected, read(sd), 0, "channel copy");
            MemorySegment sa = floats(arena, dst);
            ChannelKernels.channelCopy(floats(arena, src), sa, n, srcC, src0, dstC, dst0, count, hw, true);
            assertClose(added, read(sa), 1e-7, "channel copy accumulate");
        }
    }

    static double[] shuffleRef(double[] x, int n, int c, int hw, int groups, boolean inverse) {
        int cpg = c / groups;
        double[] y = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < cpg; i++) {
                for (int g = 0; g < groups; g++) {
                    int shuffled = i * groups + g, plain = g * cpg + i;
                    int out = inverse ? plain : shuffled, in = inverse ? shuffled : plain;
                    for (int p = 0; p < hw; p++) {
                        y[(b * c + out) * hw + p] = x[(b * c + in) * hw + p];
                    }
                }
            }
        }
        return y;
    }

    @Test
    void shuffleAndItsInverse() {
        Random r = new Random(82);
        for (int[] s : new int[][] {{2, 6, 5, 2}, {1, 12, 3, 3}, {2, 5, 4, 1}, {1, 4, 1, 4}}) {
            int n = s[0], c = s[1], hw = s[2], groups = s[3], size = n * c * hw;
            try (Arena arena = Arena.ofConfined()) {
                double[] x = randn(r, size, 1), rr = randn(r, size, 1);
                MemorySegment y = zeros(arena, size), back = zeros(arena, size);
                ChannelKernels.channelShuffle(floats(arena, x), y, n, c, hw, groups, false, false);
                assertClose(shuffleRef(x, n, c, hw, groups, false), read(y), 0, "shuffle");
                ChannelKernels.channelShuffle(y, back, n, c, hw, groups, true, false);
                assertClose(x, read(back), 0, "inverse undoes shuffle");
                // The inverse is the backward: it equals the gradient of sum(shuffle(x) r).
                MemorySegment dx = zeros(arena, size);
                ChannelKernels.channelShuffle(floats(arena, rr), dx, n, c, hw, groups, true, false);
                double[] g = numericGrad(v -> shuffleRef(v, n, c, hw, groups, false), x, rr, 1e-3);
                assertClose(g, read(dx), 1e-6, "shuffle backward");
                ChannelKernels.channelShuffle(floats(arena, rr), dx, n, c, hw, groups, true, true);
                assertClose(KernelTesting.add(g, g), read(dx), 1e-6, "shuffle accumulate");
            }
        }
    }

    static double[] shiftRef(double[] x, int n, int c, int h, int w, int oh, int ow, int offH, int offW) {
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int r = i + offH, q = j + offW;
                    y[(p * oh + i) * ow + j] = r >= 0 && r < h && q >= 0 && q < w ? x[(p * h + r) * w + q] : 0;
                }
            }
        }
        return y;
    }

    @Test
    void spatialShiftForwardAndAdjoint() {
        Random r = new Random(83);
        // {n, c, h, w, oh, ow, offH, offW}: the factorized-reduce shift (1, 1) and odd, negative, far offsets.
        int[][] cases = {{2, 3, 6, 6, 6, 6, 1, 1}, {1, 2, 5, 7, 4, 6, -1, 2}, {1, 1, 3, 3, 5, 5, -1, -1}, {1, 1, 3, 3, 2, 2, 5, 0}};
        for (int[] s : cases) {
            int n = s[0], c = s[1], h = s[2], w = s[3], oh = s[4], ow = s[5], offH = s[6], offW = s[7];
            int in = n * c * h * w, out = n * c * oh * ow;
            try (Arena arena = Arena.ofConfined()) {
                double[] x = randn(r, in, 1), dy = randn(r, out, 1);
                MemorySegment y = zeros(arena, out), dx = zeros(arena, in);
                ChannelKernels.spatialShift(floats(arena, x), y, n, c, h, w, oh, ow, offH, offW, false, false);
                double[] expected = shiftRef(x, n, c, h, w, oh, ow, offH, offW);
                String tag = java.util.Arrays.toString(s);
                assertClose(expected, read(y), 0, tag + " fwd");
                ChannelKernels.spatialShift(floats(arena, x), y, n, c, h, w, oh, ow, offH, offW, false, true);
                assertClose(KernelTesting.add(expected, expected), read(y), 1e-7, tag + " fwd accumulate");
                ChannelKernels.spatialShift(floats(arena, dy), dx, n, c, h, w, oh, ow, offH, offW, true, false);
                double[] g = numericGrad(v -> shiftRef(v, n, c, h, w, oh, ow, offH, offW), x, dy, 1e-3);
                assertClose(g, read(dx), 1e-6, tag + " bwd");
                ChannelKernels.spatialShift(floats(arena, dy), dx, n, c, h, w, oh, ow, offH, offW, true, true);
                assertClose(KernelTesting.add(g, g), read(dx), 1e-6, tag + " bwd accumulate");
            }
        }
    }

    @Test
    void invalidArgumentsThrowInJava() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = zeros(arena, 24), b = zeros(arena, 23);
            assertThrows(IllegalArgumentException.class, () -> ChannelKernels.channelCopy(a, a, 1, 4, 2, 4, 0, 3, 6, false));
            assertThrows(IllegalArgumentException.class, () -> ChannelKernels.channelCopy(a, a, 1, 4, 0, 4, -1, 1, 6, false));
            assertThrows(IllegalArgumentException.class, () -> ChannelKernels.channelCopy(a, b, 1, 4, 0, 4, 0, 1, 6, false));
            assertThrows(IllegalArgumentException.class, () -> ChannelKernels.channelShuffle(a, a, 1, 6, 4, 4, false, false));
            assertThrows(IllegalArgumentException.class, () -> ChannelKernels.channelShuffle(a, b, 1, 6, 4, 2, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> ChannelKernels.spatialShift(a, b, 1, 1, 4, 6, 4, 6, 1, 1, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> ChannelKernels.spatialShift(b, a, 1, 1, 4, 6, 4, 6, 1, 1, true, false));
            assertThrows(IllegalArgumentException.class,
                    () -> ChannelKernels.spatialShift(a, a, 1, 1, 0, 6, 4, 6, 1, 1, false, false));
        }
    }
}
