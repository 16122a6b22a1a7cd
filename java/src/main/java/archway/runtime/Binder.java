package archway.runtime;

/**
 * Binds kernel calls to a backend's memory and kernels for one plan. It owns what the bound steps
 * need for as long as the plan lives (native descriptors, pointer arrays), freed by {@link #close}.
 */
public interface Binder extends AutoCloseable {
    /** The runnable form of {@code call}, its operands resolved through {@code r} now. */
    BoundStep bind(KernelCall call, Resolver r);

    @Override
    void close();
}
