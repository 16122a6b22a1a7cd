package archway.kernels;

import static archway.kernels.ConvTestBuffers.doubles;
import static archway.kernels.ConvTestBuffers.floats;
import static archway.kernels.ConvTestBuffers.random;
import static archway.kernels.ConvTestBuffers.relativeError;
import static archway.kernels.ConvTestBuffers.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.LinearKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CPU linear layer forward / backward against the double-precision reference and finite differences. */
class LinearKernelTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @CsvSource({"1, 1, 1", "3, 7, 5", "64, 64, 10", "17, 300, 33", "130, 40, 70", "64, 256, 256"})
    void matchesReference(int n, int in, int out) {
        try (Arena arena = Arena.ofConfined()) {
            Random rng = new Random(n * 31 + in);
            float[] x = random(rng, (long) n * in), w = random(rng, (long) out * in), b = random(rng, out);
            float[] dy = random(rng, (long) n * out);
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), dys = segment(arena, dy);
            MemorySegment y = segment(arena, random(rng, (long) n * out));
            MemorySegment yNoBias = segment(arena, random(rng, (long) n * out));
            MemorySegment dx = segment(arena, random(rng, (long) n * in));
            MemorySegment dw = segment(arena, random(rng, (long) out * in));
            MemorySegment db = segment(arena, random(rng, out));

            LinearKernels.linearFwd(xs, ws, segment(arena, b), y, n, in, out);
            LinearKernels.linearFwd(xs, ws, MemorySegment.NULL, yNoBias, n, in, out);
            LinearKernels.linearBwd(xs, ws, dys, dx, dw, db, n, in, out, false, false);

            double[] xd = doubles(x), wd = doubles(w), dyd = doubles(dy);
            assertTrue(relativeError(floats(y, (long) n * out), LinearReference.forward(xd, wd, doubles(b), n, in, out))
                    < TOLERANCE, "forward with bias");
            assertTrue(relativeError(floats(yNoBias, (long) n * out), LinearReference.forward(xd, wd, null, n, in, out))
                    < TOLERANCE, "forward without bias");
            assertTrue(relativeError(floats(dx, (long) n * in), LinearReference.backwardData(dyd, wd, n, in, out))
                    < TOLERANCE, "dx");
            assertTrue(relativeError(floats(dw, (long) out * in), LinearReference.backwardWeight(xd, dyd, n, in, out))
                    < TOLERANCE, "dweight");
            assertTrue(relativeError(floats(db, out), LinearReference.backwardBias(dyd, n, out)) < TOLERANCE, "dbias");
        }
    }

    @Test
    void accumulateAddsAndNullOutputsAreSkipped() {
        int n = 9, in = 13, out = 6;
        try (Arena arena = Arena.ofConfined()) {
            Random rng = new Random(2);
            float[] x = random(rng, n * in), w = random(rng, out * in), dy = random(rng, n * out);
            float[] dx0 = random(rng, n * in), dw0 = random(rng, out * in), db0 = random(rng, out);
            MemorySegment dx = segment(arena, dx0), dw = segment(arena, dw0), db = segment(arena, db0);
            // Only dx, accumulated; weight-side outputs not requested.
            LinearKernels.linearBwd(MemorySegment.NULL, segment(arena, w), segment(arena, dy), dx, MemorySegment.NULL,
                    MemorySegment.NULL, n, in, out, true, false);
            double[] dxRef = LinearReference.backwardData(doubles(dy), doubles(w), n, in, out);
            for (int i = 0; i < dxRef.length; i++) {
                dxRef[i] += dx0[i];
            }
            assertTrue(relativeError(floats(dx, n * in), dxRef) < TOLERANCE, "accumulated dx");
            // Only parameter gradients, accumulated.
            LinearKernels.linearBwd(segment(arena, x), MemorySegment.NULL, segment(arena, dy), MemorySegment.NULL, dw, db,
                    n, in, out, false, true);
            double[] dwRef = LinearReference.backwardWeight(doubles(x), doubles(dy), n, in, out);
            double[] dbRef = LinearReference.backwardBias(doubles(dy), n, out);
            for (int i = 0; i < dwRef.length; i++) {
                dwRef[i] += dw0[i];
            }
            for (int i = 0; i < dbRef.length; i++) {
                dbRef[i] += db0[i];
            }
            assertTrue(relativeError(floats(dw, out * in), dwRef) < TOLERANCE, "accumulated dweight");
            assertTrue(relativeError(floats(db, out), dbRef) < TOLERANCE, "accumulated dbias");
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 3, in = 5, out = 4;
        try (Arena arena = Arena.ofConfined()) {
            Random rng = new Random(8);
            float[] x = random(rng, n * in), w = random(rng, out * in), b = random(rng, out), r = random(rng, n * out);
            MemorySegment dx = arena.allocate(ValueLayout.JAVA_FLOAT, n * in);
            MemorySegment dw = arena.allocate(ValueLayout.JAVA_FLOAT, out * in);
            MemorySegment db = arena.allocate(ValueLayout.JAVA_FLOAT, out);
            LinearKernels.linearBwd(segment(arena, x), segment(arena, w), segment(arena, r), dx, dw, db, n, in, out,
                    false, false);
            double[] xd = doubles(x), wd = doubles(w), bd = doubles(b), rd = doubles(r);
            compare("dx", floats(dx, n * in), xd, () -> loss(xd, wd, bd, rd, n, in, out));
            compare("dweight", floats(dw, out * in), wd, () -> loss(xd, wd, bd, rd, n, in, out));
            compare("dbias", floats(db, out), bd, () -> loss(xd, wd, bd, rd, n, in, out));
        }
    }

    private static double loss(double[] x, double[] w, double[] b, double[] r, int n, int in, int out) {
        double[] y = LinearReference.forward(x, w, b, n, in, out);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * r[i];
        }
        return s;
    }

    private static void compare(String what, float[] analytic, double[] param, java.util.function.DoubleSupplier loss) {
        double h = 1e-3;
        for (int i = 0; i < param.length; i++) {
            double keep = param[i];
            param[i] = keep + h;
            double plus = loss.getAsDouble();
            param[i] = keep - h;
            double minus = loss.getAsDouble();
            param[i] = keep;
            assertEquals((plus - minus) / (2 * h), analytic[i], 1e-4, what + "[" + i + "]");
        }
    }

    @Test
    void runsAreBitIdentical() {
        int n = 64, in = 96, out = 80;
        try (Arena arena = Arena.ofConfined()) {
            Random rng = new Random(4);
            MemorySegment x = segment(arena, random(rng, n * in)), w = segment(arena, random(rng, out * in));
            MemorySegment b = segment(arena, random(rng, out)), dy = segment(arena, random(rng, n * out));
            float[][] first = run(arena, x, w, b, dy, n, in, out), second = run(arena, x, w, b, dy, n, in, out);
            for (int i = 0; i < first.length; i++) {
                assertArrayEquals(first[i], second[i], "output " + i);
            }
        }
    }

    private static float[][] run(Arena arena, MemorySegment x, MemorySegment w, MemorySegment b, MemorySegment dy,
                                 int n, int in, int out) {
        MemorySegment y = arena.allocate(ValueLayout.JAVA_FLOAT, n * out);
        MemorySegment dx = arena.allocate(ValueLayout.JAVA_FLOAT, n * in);
        MemorySegment dw = arena.allocate(ValueLayout.JAVA_FLOAT, out * in);
        MemorySegment db = arena.allocate(ValueLayout.JAVA_FLOAT, out);
        LinearKernels.linearFwd(x, w, b, y, n, in, out);
        LinearKernels.linearBwd(x, w, dy, dx, dw, db, n, in, out, false, false);
        return new float[][] {floats(y, n * out), floats(dx, n * in), floats(dw, out * in), floats(db, out)};
    }

    @Test
    void wrongBufferSizesThrowBeforeTheNativeCall() {
        int n = 4, in = 6, out = 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(ValueLayout.JAVA_FLOAT, n * in);
            MemorySegment w = arena.allocate(ValueLayout.JAVA_FLOAT, out * in);
            MemorySegment y = arena.allocate(ValueLayout.JAVA_FLOAT, n * out);
            MemorySegment small = arena.allocate(ValueLayout.JAVA_FLOAT, 2);
            assertThrows(IllegalArgumentException.class, () -> LinearKernels.linearFwd(small, w, MemorySegment.NULL, y, n, in, out));
            assertThrows(IllegalArgumentException.class, () -> LinearKernels.linearFwd(x, small, MemorySegment.NULL, y, n, in, out));
            assertThrows(IllegalArgumentException.class, () -> LinearKernels.linearFwd(x, w, small, y, n, in, out));
            assertThrows(IllegalArgumentException.class, () -> LinearKernels.linearFwd(x, w, MemorySegment.NULL, small, n, in, out));
            assertThrows(IllegalArgumentException.class, () -> LinearKernels.linearFwd(x, w, MemorySegment.NULL, y, 0, in, out));
            assertThrows(IllegalArgumentException.class,
                    () -> LinearKernels.linearBwd(x, w, small, x, MemorySegment.NULL, MemorySegment.NULL, n, in, out, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> LinearKernels.linearBwd(x, w, y, small, MemorySegment.NULL, MemorySegment.NULL, n, in, out, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> LinearKernels.linearBwd(x, MemorySegment.NULL, y, x, MemorySegment.NULL, MemorySegment.NULL, n, in, out, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> LinearKernels.linearBwd(MemorySegment.NULL, w, y, MemorySegment.NULL, w, MemorySegment.NULL, n, in, out, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> LinearKernels.linearBwd(x, w, y, MemorySegment.NULL, small, MemorySegment.NULL, n, in, out, false, false));
            assertThrows(IllegalArgumentException.class,
                    () -> LinearKernels.linearBwd(x, w, y, MemorySegment.NULL, MemorySegment.NULL, small, n, in, out, false, false));
        }
    }
}
