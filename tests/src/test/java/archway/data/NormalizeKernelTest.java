package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.bindings.cpu.ConvertKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** archway_cpu_u8_to_f32_normalize against a double-precision Java reference. */
class NormalizeKernelTest {
    @Test
    void matchesDoubleReference() {
        int n = 5;
        int c = 3;
        int hw = 37;
        byte[] x = TestFiles.randomBytes(n * c * hw, 11);
        x[0] = 0;
        x[1] = (byte) 255;
        double[] mean = {0.4914, 0.4822, 0.4465};
        double[] std = {0.2470, 0.2435, 0.2616};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate(x.length);
            MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_BYTE, 0, x.length);
            MemorySegment ys = arena.allocate(ValueLayout.JAVA_FLOAT, x.length);
            MemorySegment ms = arena.allocate(ValueLayout.JAVA_FLOAT, c);
            MemorySegment ss = arena.allocate(ValueLayout.JAVA_FLOAT, c);
            for (int ch = 0; ch < c; ch++) {
                ms.setAtIndex(ValueLayout.JAVA_FLOAT, ch, (float) mean[ch]);
                ss.setAtIndex(ValueLayout.JAVA_FLOAT, ch, (float) std[ch]);
            }
            ConvertKernels.u8ToF32Normalize(xs, ys, n, c, hw, ms, ss);
            for (int i = 0; i < x.length; i++) {
                int ch = i / hw % c;
                double expected = ((x[i] & 0xff) / 255.0 - (float) mean[ch]) / (float) std[ch];
                double got = ys.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                assertEquals(expected, got, 1e-5 * Math.max(1, Math.abs(expected)), "element " + i);
            }
        }
    }

    @Test
    void rejectsShortBuffersAndBadStd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate(10);
            MemorySegment ys = arena.allocate(ValueLayout.JAVA_FLOAT, 10);
            MemorySegment ms = arena.allocate(ValueLayout.JAVA_FLOAT, 1);
            MemorySegment ss = arena.allocate(ValueLayout.JAVA_FLOAT, 1);
            ss.setAtIndex(ValueLayout.JAVA_FLOAT, 0, 1f);
            assertThrows(IllegalArgumentException.class, () -> ConvertKernels.u8ToF32Normalize(xs, ys, 11, 1, 1, ms, ss));
            assertThrows(IllegalArgumentException.class, () -> ConvertKernels.u8ToF32Normalize(xs, ys, 1, 2, 5, ms, ss));
            ss.setAtIndex(ValueLayout.JAVA_FLOAT, 0, 0f);
            assertThrows(IllegalArgumentException.class, () -> ConvertKernels.u8ToF32Normalize(xs, ys, 10, 1, 1, ms, ss));
        }
    }
}
