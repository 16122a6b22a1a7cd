package archway.bindings;

import java.lang.foreign.MemorySegment;

/**
 * Size checks made in Java before every native call, so that a wrong shape is a Java exception and
 * never an out-of-bounds access in native code.
 */
public final class SegmentChecks {
    private SegmentChecks() {
    }

    /** Requires {@code seg} to hold at least {@code count} floats. */
    public static void floats(MemorySegment seg, long count, String what) {
        if (count < 0) {
            throw new IllegalArgumentException(what + ": negative element count " + count);
        }
        if (seg == null || seg.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException(what + ": null buffer");
        }
        if (seg.byteSize() < count * Float.BYTES) {
            throw new IllegalArgumentException(what + ": buffer holds " + seg.byteSize() / Float.BYTES
                    + " floats, " + count + " needed");
        }
    }

    /** Like {@link #floats} but accepts {@link MemorySegment#NULL} for optional buffers. */
    public static void optionalFloats(MemorySegment seg, long count, String what) {
        if (seg != null && !seg.equals(MemorySegment.NULL)) {
            floats(seg, count, what);
        }
    }

    /** Requires {@code seg} to hold at least {@code count} int32 values. */
    public static void ints(MemorySegment seg, long count, String what) {
        if (seg == null || seg.equals(MemorySegment.NULL) || seg.byteSize() < count * Integer.BYTES) {
            throw new IllegalArgumentException(what + ": buffer too small for " + count + " int32 values");
        }
    }

    /** Requires every value to be at least {@code min}. */
    public static void atLeast(int min, String what, int... values) {
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException(what + ": value " + v + " < " + min);
            }
        }
    }

    /** Converts a Java boolean to the ABI's 0/1 flag. */
    public static int flag(boolean b) {
        return b ? 1 : 0;
    }
}
