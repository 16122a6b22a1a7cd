package archway.runtime.cuda;

/**
 * Scratch shared by the convolution steps of one plan, inside the plan's device arena: the cuDNN
 * workspace, or relu(x) of the convolutions with a fused input ReLU. Every step states its need at bind
 * time, and the one buffer (the largest need) is allocated on the first run, when binding is complete.
 * Steps run one after another on the plan's stream, so they can share it. The first run of a plan is
 * always eager ({@link RecapturePolicy}), so a captured graph sees the final address.
 */
final class ConvWorkspace {
    private final CudaBufferArena arena;
    private final String what;
    private long needBytes;
    private long address;

    ConvWorkspace(CudaBufferArena arena, String what) {
        this.arena = arena;
        this.what = what;
    }

    synchronized void need(long bytes) {
        if (address != 0 && bytes > needBytes) {
            throw new IllegalStateException(what + " grew after the plan first ran");
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
