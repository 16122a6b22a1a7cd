package archway.runtime.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A device address as a JavaCPP {@link Pointer} (JavaCPP never dereferences it; cuDNN and cuBLAS get
 * the address). Device pointers cross the engine as plain longs; this is the one place they become
 * JavaCPP objects.
 */
final class DevicePointer extends Pointer {
    DevicePointer(long address) {
        this.address = address;
    }

    /** The address as a float pointer (cuBLAS signatures), or null for 0. */
    static FloatPointer floats(long address) {
        return address == 0 ? null : new FloatPointer(new DevicePointer(address));
    }

    /** The address as a pointer, or null for 0 (an absent operand). */
    static Pointer of(long address) {
        return address == 0 ? null : new DevicePointer(address);
    }
}
