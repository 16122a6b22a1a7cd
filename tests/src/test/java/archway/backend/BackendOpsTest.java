package archway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.bindings.cpu.Activation;
import archway.bindings.cuda.CudaLibrary;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The backend-ops harness (after ggml's test-backend-ops): every op a search runs, on every backend
 * present, on seeded random data.
 *
 * <ul>
 *   <li>Equivalence mode: each backend's outputs against the CPU backend's, by normalised mean squared
 *       error sum (a - b)^2 / sum b^2 with a per-op bound; on the CPU itself, a rerun must give the same
 *       bits (determinism).</li>
 *   <li>Gradient mode: for every differentiable op, the backend's backward against central finite
 *       differences of the same backend's forward along random directions.</li>
 * </ul>
 * A backend that cannot run here (no GPU, no driver) yields one skipped test per op, with the reason.
 */
class BackendOpsTest {
    /** A backend that can be opened, or the reason it cannot be here. */
    private record Backend(String name, Supplier<KernelDevice> open, Optional<String> unavailable) {
    }

    /** One op in equivalence mode: all its outputs, concatenated, for one seeded input set. */
    private record OpCase(String name, double nmseBound, Function<KernelDevice, double[]> run) {
    }

    /** One differentiable op: forward y(x) and backward (x, dy) -> dx over one flat input vector. */
    private record GradCase(String name, double[] x, Function<KernelDevice, Function<double[], double[]>> forward,
                            Function<KernelDevice, BiFunction<double[], double[], double[]>> backward) {
    }

    private static final double EXACT = 1e-12, ROUNDING = 1e-10, LIBM = 1e-8;

    private static List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        out.add(new Backend("cpu", CpuKernelDevice::new, Optional.empty()));
        CudaLibrary.Discovery d = CudaLibrary.discover();
        out.add(new Backend("cuda", CudaKernelDevice::new,
                d.devices().isEmpty() ? Optional.of("no CUDA device: " + d.whyNone()) : Optional.empty()));
        return out;
    }

    // ---------------------------------------------------------------- data and small helpers

    private static float[] randn(long seed, int n, double scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] cat(float[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        double[] out = new double[n];
        int o = 0;
        for (float[] p : parts) {
            for (float v : p) {
                out[o++] = v;
            }
        }
        return out;
    }

    private static double[] cat(double[] a, double... b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static float[] slice(double[] x, int from, int len) {
        return toFloat(Arrays.copyOfRange(x, from, from + len));
    }

    /** Moves values off the kinks of relu / h-swish / h-sigmoid (0, -3, 3), where derivatives jump. */
    private static float[] offKinks(float[] x) {
        for (int i = 0; i < x.length; i++) {
            for (float kink : new float[] {0f, -3f, 3f}) {
                if (Math.abs(x[i] - kink) < 0.05f) {
                    x[i] = kink + (x[i] < kink ? -0.05f : 0.05f);
                }
            }
        }
        return x;
    }

    // ---------------------------------------------------------------- the ops, equivalence mode

    private static List<OpCase> ops() {
        List<OpCase> ops = new ArrayList<>();
        int n = 10_007;
        for (Activation a : Activation.values()) {
            double bound = a == Activation.SIGMOID ? LIBM : EXACT;
            ops.add(new OpCase("act_fwd " + a, bound, d -> {
                MemorySegment x = d.put(randn(1, n, 4)), y = d.zeros(n);
                d.actFwd(a, x, y, n);
                return cat(d.get(y, n));
            }));
            ops.add(new OpCase("act_bwd " + a, bound, d -> {
                MemorySegment x = d.put(randn(1, n, 4)), dy = d.put(randn(2, n, 1)), dx = d.put(randn(3, n, 1));
                d.actBwd(a, x, dy, dx, n, true);
                return cat(d.get(dx, n));
            }));
        }
        ops.add(new OpCase("axpy (scaled add)", EXACT, d -> {
            MemorySegment x = d.put(randn(4, n, 1)), y = d.put(randn(5, n, 1));
            d.axpy(-0.3f, x, y, n);
            return cat(d.get(y, n));
        }));
        ops.add(new OpCase("copy (save/restore)", EXACT, d -> {
            MemorySegment x = d.put(randn(4, n, 1)), y = d.zeros(n);
            d.copy(x, y, n);
            return cat(d.get(y, n));
        }));
        ops.add(new OpCase("weight_noise", LIBM, d -> {
            MemorySegment w = d.put(randn(6, n, 1)), out = d.zeros(n);
            d.weightNoise(w, out, n, 0.1f, 17, 12, 3);
            return cat(d.get(out, n));
        }));
        ops.add(new OpCase("zo_perturb", ROUNDING, d -> {
            MemorySegment t = d.put(randn(7, n, 1)), z = d.put(randn(8, n, 1)), p = d.zeros(n), m = d.zeros(n);
            d.zoPerturb(t, z, 0.02f, p, m, n);
            return cat(d.get(p, n), d.get(m, n));
        }));
        ops.add(new OpCase("zo_direction", LIBM, d -> {
            MemorySegment z = d.zeros(n);
            d.zoDirection(z, n, 5, 7, 2);
            return cat(d.get(z, n));
        }));
        int big = 300_007;
        ops.add(new OpCase("sumsq / dot / zo_weight_term (two-pass)", 0.0, d -> {
            MemorySegment a = d.put(randn(9, big, 1)), b = d.put(randn(10, big, 1)), g = d.put(randn(11, big, 1));
            return new double[] {d.sumsq(a, big), d.dot(a, b, big), d.zoWeightTerm(a, b, g, big)};
        }));
        ops.add(new OpCase("clip_grad_norm", EXACT, d -> {
            MemorySegment g = d.put(randn(12, big, 1));
            double norm = d.clipGradNorm(g, big, 100f);
            return cat(new double[] {norm}, cat(d.get(g, big)));
        }));
        ops.add(new OpCase("mixed_fwd", EXACT, d -> {
            int m = 4099;
            MemorySegment[] xs = {d.put(randn(13, m, 1)), null, d.put(randn(14, m, 1)), d.put(randn(15, m, 1))};
            MemorySegment w = d.put(new float[] {0.4f, 0.3f, 0f, 0.3f}), y = d.put(randn(16, m, 1));
            d.mixedFwd(xs, w, m, y, true);
            return cat(d.get(y, m));
        }));
        ops.add(new OpCase("mixed_bwd", ROUNDING, d -> {
            int m = 40_099;
            MemorySegment[] xs = {d.put(randn(13, m, 1)), null, d.put(randn(14, m, 1)), d.put(randn(15, m, 1))};
            MemorySegment[] dxs = {d.zeros(m), d.zeros(m), d.zeros(m), d.zeros(m)};
            MemorySegment w = d.put(new float[] {0.4f, 0.3f, 0f, 0.3f}), dy = d.put(randn(16, m, 1)), dw = d.zeros(4);
            d.mixedBwd(xs, w, m, dy, dxs, dw, false, false);
            return cat(d.get(dxs[0], m), d.get(dxs[3], m), d.get(dw, 4));
        }));
        int rows = 14, cols = 8;
        ops.add(new OpCase("softmax_rows fwd+bwd", LIBM, d -> {
            MemorySegment x = d.put(randn(17, rows * cols, 2)), y = d.zeros(rows * cols), dx = d.zeros(rows * cols);
            d.softmaxRowsFwd(x, y, rows, cols, 0.7f);
            d.softmaxRowsBwd(y, d.put(randn(18, rows * cols, 1)), dx, rows, cols, 0.7f);
            return cat(d.get(y, rows * cols), d.get(dx, rows * cols));
        }));
        ops.add(new OpCase("sparsemax_rows fwd+bwd", ROUNDING, d -> {
            MemorySegment x = d.put(randn(19, rows * cols, 2)), y = d.zeros(rows * cols), dx = d.zeros(rows * cols);
            d.sparsemaxRowsFwd(x, y, rows, cols, 0.7f);
            d.sparsemaxRowsBwd(y, d.put(randn(20, rows * cols, 1)), dx, rows, cols, 0.7f);
            return cat(d.get(y, rows * cols), d.get(dx, rows * cols));
        }));
        for (boolean nesterov : new boolean[] {false, true}) {
            ops.add(new OpCase("sgd_step" + (nesterov ? " nesterov" : ""), ROUNDING, d -> {
                MemorySegment w = d.put(randn(21, n, 1)), g = d.put(randn(22, n, 1)), b = d.put(randn(23, n, 1));
                d.sgdStep(w, g, b, n, 0.1f, 0.9f, 5e-4f, nesterov);
                return cat(d.get(w, n), d.get(b, n));
            }));
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            ops.add(new OpCase(decoupled ? "adamw_step" : "adam_step", ROUNDING, d -> {
                float[] v0 = randn(26, n, 1);
                for (int i = 0; i < n; i++) {
                    v0[i] *= v0[i];
                }
                MemorySegment w = d.put(randn(24, n, 1)), g = d.put(randn(25, n, 1)), m = d.put(randn(27, n, 0.1)),
                        v = d.put(v0);
                d.adamStep(w, g, m, v, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, 5, decoupled);
                return cat(d.get(w, n), d.get(m, n), d.get(v, n));
            }));
        }
        ops.add(new OpCase("channel_copy / shuffle / shift", EXACT, d -> {
            int b = 3, c = 12, h = 9, w = 9, hw = h * w;
            MemorySegment x = d.put(randn(28, b * c * hw, 1)), y = d.put(randn(29, b * 16 * hw, 1));
            d.channelCopy(x, y, b, c, 2, 16, 5, 7, hw, true);
            MemorySegment s = d.zeros(b * c * hw), shifted = d.zeros(b * c * 25), back = d.zeros(b * c * hw);
            d.channelShuffle(x, s, b, c, hw, 3, false);
            d.spatialShift(x, shifted, b, c, h, w, 5, 5, 1, 6, false);
            d.spatialShift(shifted, back, b, c, h, w, 5, 5, 1, 6, true);
            return cat(d.get(y, b * 16 * hw), d.get(s, b * c * hw), d.get(shifted, b * c * 25), d.get(back, b * c * hw));
        }));
        ops.add(new OpCase("softmax_xent fwd+bwd", LIBM, d -> {
            int b = 37, k = 10;
            int[] labels = new int[b];
            for (int i = 0; i < b; i++) {
                labels[i] = (i * 7) % k;
            }
            MemorySegment logits = d.put(randn(30, b * k, 3)), lab = d.putInts(labels), probs = d.zeros(b * k),
                    dl = d.zeros(b * k);
            double[] lossCorrect = d.softmaxXentFwd(logits, lab, probs, b, k);
            d.softmaxXentBwd(probs, lab, dl, b, k, 1f);
            return cat(cat(d.get(probs, b * k), d.get(dl, b * k)), lossCorrect);
        }));
        for (int[] s : new int[][] {{8, 3, 1, 1}, {9, 3, 2, 1}, {8, 2, 2, 0}}) {
            int b = 2, c = 5, hw = s[0], out = (hw + 2 * s[3] - s[1]) / s[2] + 1;
            ops.add(new OpCase("avgpool fwd+bwd " + hw + "x" + hw + " k" + s[1] + " s" + s[2] + " p" + s[3], EXACT, d -> {
                MemorySegment x = d.put(randn(31, b * c * hw * hw, 1)), y = d.zeros(b * c * out * out),
                        dx = d.zeros(b * c * hw * hw);
                d.avgpoolFwd(b, c, hw, hw, s[1], s[2], s[3], x, y);
                d.avgpoolBwd(b, c, hw, hw, s[1], s[2], s[3], d.put(randn(32, b * c * out * out, 1)), dx);
                return cat(d.get(y, b * c * out * out), d.get(dx, b * c * hw * hw));
            }));
        }
        ops.add(new OpCase("center_crop fwd+bwd / channel_bias fwd+bwd", EXACT, d -> {
            int planes = 24, bg = 7, k = 3, b = 4, c = 6, hw = 50;
            MemorySegment full = d.put(randn(33, planes * bg * bg, 1)), crop = d.zeros(planes * k * k),
                    dfull = d.zeros(planes * bg * bg);
            d.centerCrop(full, crop, planes, bg, k, false);
            d.centerCrop(crop, dfull, planes, bg, k, true);
            MemorySegment x = d.put(randn(34, b * c * hw, 1)), y = d.zeros(b * c * hw), db = d.zeros(c);
            d.channelBiasFwd(x, d.put(randn(35, c, 1)), y, b, c, hw);
            d.channelBiasBwd(x, db, b, c, hw);
            return cat(d.get(crop, planes * k * k), d.get(dfull, planes * bg * bg), d.get(y, b * c * hw), d.get(db, c));
        }));
        ops.add(new OpCase("philox uniform", 0.0, d -> {
            MemorySegment u = d.zeros(n);
            d.philoxUniform(u, n, 0xC0FFEE, 5, 9);
            return cat(d.get(u, n));
        }));
        ops.add(new OpCase("philox normal", LIBM, d -> {
            MemorySegment u = d.zeros(n);
            d.philoxNormal(u, n, 0xC0FFEE, 5, 9);
            return cat(d.get(u, n));
        }));
        return ops;
    }

    private static double[] runOn(Backend b, OpCase op) {
        try (KernelDevice d = b.open().get()) {
            return op.run().apply(d);
        }
    }

    /** sum (a - b)^2 / sum b^2 (0 when both vanish). */
    static double nmse(double[] actual, double[] expected) {
        double num = 0, den = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = actual[i] - expected[i];
            num += e * e;
            den += expected[i] * expected[i];
        }
        return den == 0 ? num : num / den;
    }

    @TestFactory
    Stream<DynamicTest> everyOpOnEveryBackendMatchesTheCpuBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        Backend cpu = backends().get(0);
        for (Backend b : backends()) {
            for (OpCase op : ops()) {
                tests.add(DynamicTest.dynamicTest(op.name() + " on " + b.name(), () -> {
                    assumeTrue(b.unavailable().isEmpty(), () -> b.name() + " skipped: " + b.unavailable().orElse(""));
                    double[] expected = runOn(cpu, op), actual = runOn(b, op);
                    assertTrue(expected.length > 0 && actual.length == expected.length, op.name() + ": output sizes");
                    if (b == cpu) {
                        assertArrayEquals(expected, actual, 0.0, op.name() + ": a CPU rerun must give the same bits");
                        return;
                    }
                    double e = nmse(actual, expected);
                    assertTrue(e <= op.nmseBound(), op.name() + " on " + b.name() + ": NMSE " + e + " > " + op.nmseBound());
                }));
            }
        }
        return tests.stream();
    }

    // ---------------------------------------------------------------- the ops, gradient mode

    private static GradCase unary(String name, double[] x, Function<KernelDevice, Function<double[], double[]>> f,
                                  Function<KernelDevice, BiFunction<double[], double[], double[]>> g) {
        return new GradCase(name, x, f, g);
    }

    private static List<GradCase> gradCases() {
        List<GradCase> cases = new ArrayList<>();
        int n = 2000;
        for (Activation a : Activation.values()) {
            cases.add(unary("act " + a, cat(offKinks(randn(40, n, 3))), d -> x -> {
                MemorySegment y = d.zeros(n);
                d.actFwd(a, d.put(toFloat(x)), y, n);
                return cat(d.get(y, n));
            }, d -> (x, dy) -> {
                MemorySegment dx = d.zeros(n);
                d.actBwd(a, d.put(toFloat(x)), d.put(toFloat(dy)), dx, n, false);
                return cat(d.get(dx, n));
            }));
        }
        int m = 300;  // mixed op: inputs = x0, x2, x3 (x1 is op "none"), then the 4 weights (w2 = 0 exactly)
        cases.add(unary("mixed op (dx and dw)", cat(randn(41, 3 * m, 1), new float[] {0.4f, 0.3f, 0f, 0.3f}), d -> x -> {
            MemorySegment[] xs = {d.put(slice(x, 0, m)), null, d.put(slice(x, m, m)), d.put(slice(x, 2 * m, m))};
            MemorySegment y = d.zeros(m);
            d.mixedFwd(xs, d.put(slice(x, 3 * m, 4)), m, y, false);
            return cat(d.get(y, m));
        }, d -> (x, dy) -> {
            MemorySegment[] xs = {d.put(slice(x, 0, m)), null, d.put(slice(x, m, m)), d.put(slice(x, 2 * m, m))};
            MemorySegment[] dxs = {d.zeros(m), d.zeros(m), d.zeros(m), d.zeros(m)};
            MemorySegment dw = d.zeros(4);
            d.mixedBwd(xs, d.put(slice(x, 3 * m, 4)), m, d.put(toFloat(dy)), dxs, dw, false, false);
            return cat(d.get(dxs[0], m), d.get(dxs[2], m), d.get(dxs[3], m), d.get(dw, 4));
        }));
        int rows = 4, cols = 6, rc = rows * cols;
        for (boolean sparse : new boolean[] {false, true}) {
            cases.add(unary(sparse ? "sparsemax rows" : "softmax rows", cat(randn(sparse ? 43 : 42, rc, 1)), d -> x -> {
                MemorySegment y = d.zeros(rc);
                simplexFwd(d, sparse, d.put(toFloat(x)), y, rows, cols);
                return cat(d.get(y, rc));
            }, d -> (x, dy) -> {
                MemorySegment y = d.zeros(rc), dx = d.zeros(rc);
                simplexFwd(d, sparse, d.put(toFloat(x)), y, rows, cols);
                if (sparse) {
                    d.sparsemaxRowsBwd(y, d.put(toFloat(dy)), dx, rows, cols, 0.7f);
                } else {
                    d.softmaxRowsBwd(y, d.put(toFloat(dy)), dx, rows, cols, 0.7f);
                }
                return cat(d.get(dx, rc));
            }));
        }
        int b = 8, k = 5;
        int[] labels = {0, 4, 2, 1, 3, 3, 0, 2};
        cases.add(unary("softmax cross-entropy", cat(randn(44, b * k, 2)), d -> x -> {
            MemorySegment probs = d.zeros(b * k);
            return new double[] {d.softmaxXentFwd(d.put(toFloat(x)), d.putInts(labels), probs, b, k)[0]};
        }, d -> (x, dy) -> {
            MemorySegment probs = d.zeros(b * k), lab = d.putInts(labels), dl = d.zeros(b * k);
            d.softmaxXentFwd(d.put(toFloat(x)), lab, probs, b, k);
            d.softmaxXentBwd(probs, lab, dl, b, k, (float) dy[0]);
            return cat(d.get(dl, b * k));
        }));
        for (int[] s : new int[][] {{7, 3, 2, 1}, {8, 3, 1, 1}}) {
            int pb = 2, pc = 3, hw = s[0], out = (hw + 2 * s[3] - s[1]) / s[2] + 1, in = pb * pc * hw * hw;
            cases.add(unary("avgpool " + hw + "x" + hw + " k" + s[1] + " s" + s[2] + " p" + s[3], cat(randn(45, in, 1)),
                    d -> x -> {
                        MemorySegment y = d.zeros(pb * pc * out * out);
                        d.avgpoolFwd(pb, pc, hw, hw, s[1], s[2], s[3], d.put(toFloat(x)), y);
                        return cat(d.get(y, pb * pc * out * out));
                    }, d -> (x, dy) -> {
                        MemorySegment dx = d.zeros(in);
                        d.avgpoolBwd(pb, pc, hw, hw, s[1], s[2], s[3], d.put(toFloat(dy)), dx);
                        return cat(d.get(dx, in));
                    }));
        }
        int sc = 5, sh = 9, sw = 9, soh = 5, sow = 5;
        cases.add(unary("spatial shift", cat(randn(46, sc * sh * sw, 1)), d -> x -> {
            MemorySegment y = d.zeros(sc * soh * sow);
            d.spatialShift(d.put(toFloat(x)), y, 1, sc, sh, sw, soh, sow, 1, 6, false);
            return cat(d.get(y, sc * soh * sow));
        }, d -> (x, dy) -> {
            MemorySegment dx = d.zeros(sc * sh * sw);
            d.spatialShift(d.put(toFloat(dy)), dx, 1, sc, sh, sw, soh, sow, 1, 6, true);
            return cat(d.get(dx, sc * sh * sw));
        }));
        int cc = 12, chw = 10, csize = 2 * cc * chw;
        cases.add(unary("channel shuffle", cat(randn(47, csize, 1)), d -> x -> {
            MemorySegment y = d.zeros(csize);
            d.channelShuffle(d.put(toFloat(x)), y, 2, cc, chw, 3, false);
            return cat(d.get(y, csize));
        }, d -> (x, dy) -> {
            MemorySegment dx = d.zeros(csize);
            d.channelShuffle(d.put(toFloat(dy)), dx, 2, cc, chw, 3, true);
            return cat(d.get(dx, csize));
        }));
        cases.add(unary("channel slice / concat", cat(randn(48, csize, 1)), d -> x -> {
            MemorySegment y = d.zeros(2 * 16 * chw);
            d.channelCopy(d.put(toFloat(x)), y, 2, cc, 2, 16, 5, 7, chw, false);
            return cat(d.get(y, 2 * 16 * chw));
        }, d -> (x, dy) -> {
            MemorySegment dx = d.zeros(csize);
            d.channelCopy(d.put(toFloat(dy)), dx, 2, 16, 5, cc, 2, 7, chw, false);
            return cat(d.get(dx, csize));
        }));
        int planes = 6, bg = 7, ck = 3;
        cases.add(unary("center crop", cat(randn(49, planes * bg * bg, 1)), d -> x -> {
            MemorySegment y = d.zeros(planes * ck * ck);
            d.centerCrop(d.put(toFloat(x)), y, planes, bg, ck, false);
            return cat(d.get(y, planes * ck * ck));
        }, d -> (x, dy) -> {
            MemorySegment dx = d.zeros(planes * bg * bg);
            d.centerCrop(d.put(toFloat(dy)), dx, planes, bg, ck, true);
            return cat(d.get(dx, planes * bg * bg));
        }));
        int bn = 3, bc = 4, bhw = 20, bsize = bn * bc * bhw;  // inputs: x then the bias b
        cases.add(unary("channel bias (dx and db)", cat(randn(50, bsize + bc, 1)), d -> x -> {
            MemorySegment y = d.zeros(bsize);
            d.channelBiasFwd(d.put(slice(x, 0, bsize)), d.put(slice(x, bsize, bc)), y, bn, bc, bhw);
            return cat(d.get(y, bsize));
        }, d -> (x, dy) -> {
            MemorySegment db = d.zeros(bc);
            d.channelBiasBwd(d.put(toFloat(dy)), db, bn, bc, bhw);
            return cat(toFloat(dy), d.get(db, bc));  // dx = dy: the bias add passes the gradient through
        }));
        return cases;
    }

    private static void simplexFwd(KernelDevice d, boolean sparse, MemorySegment x, MemorySegment y, int rows, int cols) {
        if (sparse) {
            d.sparsemaxRowsFwd(x, y, rows, cols, 0.7f);
        } else {
            d.softmaxRowsFwd(x, y, rows, cols, 0.7f);
        }
    }

    /**
     * Checks &lt;backward(x, r), v&gt; against [L(x + h v) - L(x - h v)] / 2h with L(x) = &lt;forward(x), r&gt;
     * for three random directions v; the bound is relative to |backward| |v| (Cauchy-Schwarz scale).
     */
    private static void gradientCheck(KernelDevice d, GradCase c) {
        Function<double[], double[]> f = c.forward().apply(d);
        double[] y = f.apply(c.x());
        Random rnd = new Random(c.name().hashCode());
        double[] r = new double[y.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextGaussian();
        }
        double[] g = c.backward().apply(d).apply(c.x(), r);
        assertTrue(g.length == c.x().length, c.name() + ": gradient has " + g.length + " entries, " + c.x().length
                + " inputs");
        double h = 1e-3, gnorm = Math.sqrt(Arrays.stream(g).map(v -> v * v).sum());
        for (int t = 0; t < 3; t++) {
            double[] v = new double[g.length], xp = c.x().clone(), xm = c.x().clone();
            double analytic = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextGaussian();
                xp[i] += h * v[i];
                xm[i] -= h * v[i];
                analytic += g[i] * v[i];
            }
            double lp = 0, lm = 0;
            double[] yp = f.apply(xp), ym = f.apply(xm);
            for (int i = 0; i < r.length; i++) {
                lp += yp[i] * r[i];
                lm += ym[i] * r[i];
            }
            double numeric = (lp - lm) / (2 * h), vnorm = Math.sqrt(Arrays.stream(v).map(q -> q * q).sum());
            double bound = 2e-3 * gnorm * vnorm + 1e-6;
            assertTrue(Math.abs(numeric - analytic) <= bound, c.name() + " on " + d.name() + ": directional derivative "
                    + analytic + " vs finite difference " + numeric + " (bound " + bound + ")");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBackwardMatchesFiniteDifferencesOnEveryBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend b : backends()) {
            for (GradCase c : gradCases()) {
                tests.add(DynamicTest.dynamicTest(c.name() + " gradient on " + b.name(), () -> {
                    assumeTrue(b.unavailable().isEmpty(), () -> b.name() + " skipped: " + b.unavailable().orElse(""));
                    try (KernelDevice d = b.open().get()) {
                        gradientCheck(d, c);
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** The gradient mode can fail: the shuffle's forward permutation is not its own adjoint (c = 12, 3 groups). */
    @Test
    void aWrongBackwardIsCaught() {
        int c = 12, hw = 10, size = 2 * c * hw;
        GradCase wrong = unary("shuffle with its forward as backward", cat(randn(47, size, 1)), d -> x -> {
            MemorySegment y = d.zeros(size);
            d.channelShuffle(d.put(toFloat(x)), y, 2, c, hw, 3, false);
            return cat(d.get(y, size));
        }, d -> (x, dy) -> {
            MemorySegment dx = d.zeros(size);
            d.channelShuffle(d.put(toFloat(dy)), dx, 2, c, hw, 3, false);
            return cat(d.get(dx, size));
        });
        try (KernelDevice d = new CpuKernelDevice()) {
            assertThrows(AssertionError.class, () -> gradientCheck(d, wrong));
        }
        assertTrue(nmse(new double[] {1, 2.001}, new double[] {1, 2}) > EXACT, "NMSE sees a 5e-4 error");
    }
}
