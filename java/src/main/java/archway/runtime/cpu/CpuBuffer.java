package archway.runtime.cpu;

import archway.runtime.Buffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A CPU buffer: native host memory (a {@link MemorySegment}) the CPU kernels read and write directly. */
public final class CpuBuffer implements Buffer {
    private final MemorySegment segment;

    CpuBuffer(MemorySegment segment) {
        this.segment = segment;
    }

    /** Wraps host memory the caller owns (tests and kernel benchmarks hand their own segments in). */
    public static CpuBuffer wrap(MemorySegment segment) {
        return new CpuBuffer(segment);
    }

    /** The memory of a CPU buffer (for code inside the CPU backend, kernel tests and benchmarks). */
    public static MemorySegment segment(Buffer b) {
        if (b == null) {
            return MemorySegment.NULL;
        }
        if (!(b instanceof CpuBuffer c)) {
            throw new IllegalArgumentException("not a CPU buffer: " + b.getClass().getName());
        }
        return c.segment;
    }

    public MemorySegment segment() { return segment; }

    @Override
    public long length() { return segment.byteSize() / Float.BYTES; }

    @Override
    public long byteSize() { return segment.byteSize(); }

    @Override
    public Buffer slice(long offset, long length) {
        return new CpuBuffer(segment.asSlice(offset * Float.BYTES, length * Float.BYTES));
    }

    @Override
    public float get(long index) { return segment.getAtIndex(ValueLayout.JAVA_FLOAT, index); }

    @Override
    public void set(long index, float v) { segment.setAtIndex(ValueLayout.JAVA_FLOAT, index, v); }

    @Override
    public int getInt(long index) { return segment.getAtIndex(ValueLayout.JAVA_INT, index); }

    @Override
    public void setInt(long index, int v) { segment.setAtIndex(ValueLayout.JAVA_INT, index, v); }

    @Override
    public void read(long offset, float[] dst) {
        MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, offset * Float.BYTES, dst, 0, dst.length);
    }

    @Override
    public void write(long offset, float[] src) {
        MemorySegment.copy(src, 0, segment, ValueLayout.JAVA_FLOAT, offset * Float.BYTES, src.length);
    }

    @Override
    public void writeBytes(byte[] src, int length) {
        MemorySegment.copy(src, 0, segment, ValueLayout.JAVA_BYTE, 0, length);
    }

    @Override
    public void readBytes(byte[] dst) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, dst, 0, dst.length);
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + segment.byteSize() + " bytes]";
    }
}
