package archway.backend;

import archway.bindings.cuda.CudaMemory;
import archway.runtime.Buffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A runtime {@link Buffer} over device memory for the harness's CUDA device (the CUDA backend will have
 * its own): a device address and a length; element access and bulk copies are synchronous host copies.
 */
record CudaTestBuffer(MemorySegment address, long length) implements Buffer {
    @Override
    public long byteSize() {
        return length * Float.BYTES;
    }

    @Override
    public CudaTestBuffer slice(long offset, long len) {
        if (offset < 0 || len < 0 || offset + len > length) {
            throw new IndexOutOfBoundsException("slice [" + offset + ", +" + len + ") of " + length);
        }
        return new CudaTestBuffer(MemorySegment.ofAddress(address.address() + offset * Float.BYTES), len);
    }

    private MemorySegment at(long index) {
        return slice(index, 1).address();
    }

    @Override
    public float get(long index) {
        float[] v = new float[1];
        read(index, v);
        return v[0];
    }

    @Override
    public void set(long index, float v) {
        write(index, new float[] {v});
    }

    @Override
    public int getInt(long index) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_INT);
            CudaMemory.toHost(h, at(index), Integer.BYTES);
            return h.get(ValueLayout.JAVA_INT, 0);
        }
    }

    @Override
    public void setInt(long index, int v) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_INT);
            h.set(ValueLayout.JAVA_INT, 0, v);
            CudaMemory.toDevice(at(index), h, Integer.BYTES);
        }
    }

    @Override
    public void read(long offset, float[] dst) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, dst.length));
            CudaMemory.toHost(h, slice(offset, dst.length).address(), (long) dst.length * Float.BYTES);
            MemorySegment.copy(h, ValueLayout.JAVA_FLOAT, 0, dst, 0, dst.length);
        }
    }

    @Override
    public void write(long offset, float[] src) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, src.length));
            MemorySegment.copy(src, 0, h, ValueLayout.JAVA_FLOAT, 0, src.length);
            CudaMemory.toDevice(slice(offset, src.length).address(), h, (long) src.length * Float.BYTES);
        }
    }

    @Override
    public void writeBytes(byte[] src, int len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(Math.max(1, len));
            MemorySegment.copy(src, 0, h, ValueLayout.JAVA_BYTE, 0, len);
            CudaMemory.toDevice(address, h, len);
        }
    }

    @Override
    public void readBytes(byte[] dst) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(Math.max(1, dst.length));
            CudaMemory.toHost(h, address, dst.length);
            MemorySegment.copy(h, ValueLayout.JAVA_BYTE, 0, dst, 0, dst.length);
        }
    }
}
