package archway.runtime.cuda;

/**
 * The cuDNN workspace of one plan, inside the plan's device arena: every convolution step states its
 * algorithm's need at bind time, and the one buffer (the largest need) is allocated on the first run,
 * when binding is complete. The first run of a plan is always eager ({@link RecapturePolicy}), so a
 * captured graph sees the final address.
 */
final class ConvWorkspace {
    private final CudaBufferArena arena;
    private long needBytes;
    private long address;

    ConvWorkspace(CudaBufferArena arena) {
        this.arena = arena;
    }

    synchronized void need(long bytes) {
        if (address != 0 && bytes > needBytes) {
            throw new IllegalStateException("cuDNN workspace grew after the plan first ran");
        }
        needBytes = Math.max(needBytes, bytes);
    }

    /** The workspace address (0 when no algorithm needs one). */
    synchronized long address() {
        if (address == 0 && needBytes > 0) {
            address = CudaBuffer.address(arena.allocateBytes(needBytes));
        }
        return address;
    }
}
