package archway.runtime;

/**
 * A lifetime for buffers: everything allocated from it is freed together by {@link #close}. The
 * parameter store, the activation workspace, a plan's input staging and an optimiser's state each
 * own one. Buffers are 64-byte aligned and zero-filled.
 */
public interface BufferArena extends AutoCloseable {
    /** A buffer of {@code elements} 4-byte elements (float32 or int32). */
    Buffer allocate(long elements);

    /** A byte buffer of {@code bytes} bytes (uint8 staging for data loading). */
    Buffer allocateBytes(long bytes);

    @Override
    void close();
}
