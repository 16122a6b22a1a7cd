package archway.runtime.cuda;

/**
 * The uint8 -> normalised float conversion on the host, in the CPU kernel's exact arithmetic
 * (native/src/convert.cpp: y = x * (1 / (255 std)) + (-mean / std) in float, which the compiler contracts
 * to one fused multiply-add), so device batches equal CPU batches bit for bit (HostConvertTest).
 */
final class HostConvert {
    private HostConvert() {
    }

    static float[] u8ToF32Normalize(byte[] x, long n, int c, long hw, float[] mean, float[] std) {
        for (int ch = 0; ch < c; ch++) {
            if (!(std[ch] > 0f)) {
                throw new IllegalArgumentException("std[" + ch + "] must be > 0");
            }
        }
        float[] y = new float[Math.toIntExact(n * c * hw)];
        for (long i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float a = 1.0f / (255.0f * std[ch]);
                float b = -mean[ch] / std[ch];
                int base = Math.toIntExact((i * c + ch) * hw);
                for (int p = 0; p < hw; p++) {
                    y[base + p] = Math.fma((float) (x[base + p] & 0xff), a, b);
                }
            }
        }
        return y;
    }
}
