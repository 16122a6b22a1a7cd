package archway.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The uint8 -> normalised float conversion on the host, in the CPU kernel's exact arithmetic
 * (native/src/convert.cpp: y = x * (1 / (255 std)) + (-mean / std) in float, which the compiler contracts
 * to one fused multiply-add). A backend without a device kernel for it converts here (the CUDA backend),
 * so its batches equal the CPU backend's bit for bit (HostConvertTest).
 */
public final class HostConvert {
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private HostConvert() {
    }

    /** n images of c x hw bytes as a new float array. */
    public static float[] u8ToF32Normalize(byte[] x, long n, int c, long hw, float[] mean, float[] std) {
        byte[] bytes = new byte[Math.toIntExact(n * c * hw * Float.BYTES)];
        u8ToF32NormalizeBytes(x, n, c, hw, mean, std, bytes);
        float[] y = new float[Math.toIntExact(n * c * hw)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(y);
        return y;
    }

    /**
     * The same into {@code out} as little-endian float bytes, the layout a float buffer holds, ready for
     * one {@link Buffer#writeBytes}. It allocates nothing: the batch loader's producer thread calls it.
     */
    public static void u8ToF32NormalizeBytes(byte[] x, long n, int c, long hw, float[] mean, float[] std, byte[] out) {
        if ((long) out.length < n * c * hw * Float.BYTES) {
            throw new IllegalArgumentException(out.length + " bytes cannot hold " + n * c * hw + " floats");
        }
        for (int ch = 0; ch < c; ch++) {
            if (!(std[ch] > 0f)) {
                throw new IllegalArgumentException("std[" + ch + "] must be > 0");
            }
        }
        for (long i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float a = 1.0f / (255.0f * std[ch]);
                float b = -mean[ch] / std[ch];
                int base = Math.toIntExact((i * c + ch) * hw);
                for (int p = 0; p < hw; p++) {
                    FLOAT.set(out, (base + p) * Float.BYTES, Math.fma((float) (x[base + p] & 0xff), a, b));
                }
            }
        }
    }
}
