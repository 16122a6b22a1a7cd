package archway.runtime.cuda;

/** A CUDA, cuBLAS or cuDNN call failed while running (not a user error: the device or a bug). */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }
}
