package archway.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer queue over a fixed array: offer and poll allocate nothing and
 * publish with release/acquire ordering (the algorithm of Agrona's OneToOneConcurrentArrayQueue).
 *
 * <p>Why not Agrona's class itself: Agrona 2.x reads {@code jdk.internal.misc.Unsafe} and fails to load
 * unless the JVM runs with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which neither the
 * launcher nor the test runner passes today. Once they do, this class can be replaced one for one.
 */
final class SpscQueue<T> {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(SpscQueue.class, "head", long.class);
            TAIL = l.findVarHandle(SpscQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    /** Next slot to read; written by the consumer only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next slot to write; written by the producer only. */
    @SuppressWarnings("unused")
    private volatile long tail;

    SpscQueue(int capacity) {
        if (capacity < 1 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        // Rounded up to a power of two so the slot index is a mask.
        slots = new Object[capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1];
        mask = slots.length - 1;
    }

    /** Producer side; false when full. */
    boolean offer(T item) {
        long t = (long) TAIL.getOpaque(this);
        if (t - (long) HEAD.getAcquire(this) >= slots.length) {
            return false;
        }
        slots[(int) t & mask] = item;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer side; null when empty. */
    @SuppressWarnings("unchecked")
    T poll() {
        long h = (long) HEAD.getOpaque(this);
        if (h >= (long) TAIL.getAcquire(this)) {
            return null;
        }
        int i = (int) h & mask;
        T item = (T) slots[i];
        slots[i] = null;
        HEAD.setRelease(this, h + 1);
        return item;
    }
}
