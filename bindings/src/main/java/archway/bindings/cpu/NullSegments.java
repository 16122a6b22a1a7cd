package archway.bindings.cpu;

import java.lang.foreign.MemorySegment;

/** Optional buffers: Java null and {@link MemorySegment#NULL} both mean "absent" and reach native code as NULL. */
final class NullSegments {
    private NullSegments() {
    }

    static boolean isNull(MemorySegment s) {
        return s == null || s.equals(MemorySegment.NULL);
    }

    static MemorySegment orNull(MemorySegment s) {
        return s == null ? MemorySegment.NULL : s;
    }
}
