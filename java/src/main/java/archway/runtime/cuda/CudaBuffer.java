package archway.runtime.cuda;

import archway.runtime.Buffer;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * A span of device memory: a device address (a plain long) and a byte size. Element access and bulk
 * copies are synchronous host transfers after the compute stream drains, so they are for results and
 * setup, not hot loops (those are kernels).
 */
final class CudaBuffer implements Buffer {
    final CudaContext ctx;
    final long address;
    private final long bytes;

    CudaBuffer(CudaContext ctx, long address, long bytes) {
        this.ctx = ctx;
        this.address = address;
        this.bytes = bytes;
    }

    /** The device address of a buffer of this backend (0 for null: an absent operand). */
    static long address(Buffer b) {
        if (b == null) {
            return 0;
        }
        if (!(b instanceof CudaBuffer c)) {
            throw new IllegalArgumentException("not a CUDA buffer: " + b.getClass().getSimpleName());
        }
        return c.address;
    }

    @Override
    public long length() { return bytes / Float.BYTES; }

    @Override
    public long byteSize() { return bytes; }

    @Override
    public Buffer slice(long offset, long length) {
        if (offset < 0 || length < 0 || (offset + length) * Float.BYTES > bytes) {
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + length) + ") of " + length());
        }
        return new CudaBuffer(ctx, address + offset * Float.BYTES, length * Float.BYTES);
    }

    private long at(long index, long count) {
        if (index < 0 || (index + count) * Float.BYTES > bytes) {
            throw new IndexOutOfBoundsException("elements [" + index + ", " + (index + count) + ") of " + length());
        }
        return address + index * Float.BYTES;
    }

    @Override
    public float get(long index) {
        try (FloatPointer h = new FloatPointer(1)) {
            ctx.copy(h, new DevicePointer(at(index, 1)), Float.BYTES, cudart.cudaMemcpyDeviceToHost);
            return h.get(0);
        }
    }

    @Override
    public void set(long index, float v) {
        try (FloatPointer h = new FloatPointer(v)) {
            ctx.copy(new DevicePointer(at(index, 1)), h, Float.BYTES, cudart.cudaMemcpyHostToDevice);
        }
    }

    @Override
    public int getInt(long index) {
        try (IntPointer h = new IntPointer(1)) {
            ctx.copy(h, new DevicePointer(at(index, 1)), Integer.BYTES, cudart.cudaMemcpyDeviceToHost);
            return h.get(0);
        }
    }

    @Override
    public void setInt(long index, int v) {
        try (IntPointer h = new IntPointer(1)) {
            h.put(0, v);
            ctx.copy(new DevicePointer(at(index, 1)), h, Integer.BYTES, cudart.cudaMemcpyHostToDevice);
        }
    }

    @Override
    public void read(long offset, float[] dst) {
        try (FloatPointer h = new FloatPointer(Math.max(1, dst.length))) {
            ctx.copy(h, new DevicePointer(at(offset, dst.length)), (long) dst.length * Float.BYTES,
                    cudart.cudaMemcpyDeviceToHost);
            h.get(dst);
        }
    }

    @Override
    public void write(long offset, float[] src) {
        try (FloatPointer h = new FloatPointer(src)) {
            ctx.copy(new DevicePointer(at(offset, src.length)), h, (long) src.length * Float.BYTES,
                    cudart.cudaMemcpyHostToDevice);
        }
    }

    /** Image batches: through the pinned staging ring on the copy stream (see {@link PinnedStaging}). */
    @Override
    public void writeBytes(byte[] src, int length) {
        if (length < 0 || length > src.length || length > bytes) {
            throw new IndexOutOfBoundsException(length + " bytes into a buffer of " + bytes);
        }
        ctx.staging().upload(src, length, address);
    }

    @Override
    public void readBytes(byte[] dst) {
        if (dst.length > bytes) {
            throw new IndexOutOfBoundsException(dst.length + " bytes from a buffer of " + bytes);
        }
        try (BytePointer h = new BytePointer(Math.max(1, dst.length))) {
            ctx.copy(h, new DevicePointer(address), dst.length, cudart.cudaMemcpyDeviceToHost);
            h.get(dst, 0, dst.length);
        }
    }
}
