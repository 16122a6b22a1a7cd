package archway.bench;

import archway.bindings.cpu.RandomKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Native buffers for the benchmarks, filled with reproducible normal noise. */
final class Buffers {
    private Buffers() {
    }

    static MemorySegment normal(Arena a, long n, int step) {
        MemorySegment s = a.allocate(Math.max(1, n) * Float.BYTES, 64);
        RandomKernels.normal(s, n, 42, 77, step);
        return s;
    }

    static MemorySegment uniform(Arena a, long n, int step) {
        MemorySegment s = a.allocate(Math.max(1, n) * Float.BYTES, 64);
        RandomKernels.uniform(s, n, 42, 78, step);
        return s;
    }
}
