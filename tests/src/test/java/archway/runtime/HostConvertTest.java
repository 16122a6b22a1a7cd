package archway.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import archway.runtime.cpu.CpuBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The host-side image conversion (the CUDA backend's) equals the CPU kernel bit for bit (every byte value). */
class HostConvertTest {
    @Test
    void matchesTheCpuKernelForEveryByteValue() {
        int n = 2, c = 3, hw = 256;
        byte[] x = new byte[n * c * hw];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (i * 7 + i / 256);
        }
        float[] mean = {0.4914f, 0.4822f, 0.4465f};
        float[] std = {0.2470f, 0.2435f, 0.2616f};
        float[] expected = new float[x.length];
        try (BufferArena a = CpuBackend.instance().arena()) {
            Buffer xb = a.allocateBytes(x.length), yb = a.allocate(x.length), mb = a.allocate(c), sb = a.allocate(c);
            xb.writeBytes(x, x.length);
            mb.write(0, mean);
            sb.write(0, std);
            CpuBackend.instance().flat().u8ToF32Normalize(xb, yb, n, c, hw, mb, sb);
            yb.read(0, expected);
        }
        assertArrayEquals(expected, HostConvert.u8ToF32Normalize(x, n, c, hw, mean, std));
        byte[] out = new byte[x.length * Float.BYTES];
        HostConvert.u8ToF32NormalizeBytes(x, n, c, hw, mean, std, out);
        float[] fromBytes = new float[x.length];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(fromBytes);
        assertArrayEquals(expected, fromBytes);
    }
}
