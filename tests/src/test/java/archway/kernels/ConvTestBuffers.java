package archway.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Native float buffers for the conv / linear kernel tests: random fills, copies out, error measures. */
final class ConvTestBuffers {
    private ConvTestBuffers() {
    }

    /** Uniform values in [-1, 1) from a seeded generator, as float (exactly what native sees). */
    static float[] random(Random rng, long count) {
        float[] a = new float[Math.toIntExact(count)];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }

    static MemorySegment segment(Arena arena, float[] values) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        return s;
    }

    static float[] floats(MemorySegment s, long count) {
        float[] a = new float[Math.toIntExact(count)];
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT, 0, a, 0, a.length);
        return a;
    }

    static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** max |actual - expected| / (max |expected| + 1e-6). */
    static double relativeError(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("length " + actual.length + " vs " + expected.length);
        }
        double diff = 0, scale = 0;
        for (int i = 0; i < actual.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / (scale + 1e-6);
    }
}
