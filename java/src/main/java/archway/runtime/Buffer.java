package archway.runtime;

/**
 * A span of backend-owned memory, counted in 4-byte elements (float32, or int32 for labels). The
 * engine above the runtime holds buffers only through this type: on the CPU one wraps native host
 * memory, on a GPU it will wrap a device pointer. The element accessors and bulk copies below are
 * host transfers: cheap on the CPU, a device copy on a GPU, so hot loops use {@link FlatOps} instead.
 */
public interface Buffer {
    /** Length in 4-byte elements. */
    long length();

    /** Length in bytes (a byte staging buffer may hold a number of bytes that is not a multiple of 4). */
    long byteSize();

    /** Elements [offset, offset + length) as a buffer sharing this memory. */
    Buffer slice(long offset, long length);

    float get(long index);

    void set(long index, float v);

    int getInt(long index);

    void setInt(long index, int v);

    /** Copies elements [offset, offset + dst.length) to the host array. */
    void read(long offset, float[] dst);

    /** Copies the host array into elements [offset, offset + src.length). */
    void write(long offset, float[] src);

    /** Copies the first {@code length} bytes of {@code src} into the start of this buffer. */
    void writeBytes(byte[] src, int length);

    /** Copies the first {@code dst.length} bytes of this buffer into {@code dst}. */
    void readBytes(byte[] dst);

    /** All elements as a new float array (a copy). */
    default float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(length())];
        read(0, out);
        return out;
    }
}
