package archway.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Labels laid out as the int32 bytes a label buffer holds (little-endian, as x86 and CUDA devices store
 * them), so that a batch's labels travel in one {@link archway.runtime.Buffer#writeBytes} call: one
 * asynchronous copy on a GPU instead of a synchronous copy per image.
 */
final class LabelBytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private LabelBytes() {
    }

    /** Room for {@code n} labels. */
    static byte[] forLabels(int n) {
        return new byte[Math.multiplyExact(n, Integer.BYTES)];
    }

    static void put(byte[] labels, int slot, int label) {
        INT.set(labels, slot * Integer.BYTES, label);
    }
}
