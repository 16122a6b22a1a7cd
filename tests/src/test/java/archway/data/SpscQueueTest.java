package archway.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The loader's hand-over queue: FIFO, bounded, and correct across two threads. */
class SpscQueueTest {
    @Test
    void fifoAndBounded() {
        SpscQueue<Integer> q = new SpscQueue<>(3);
        assertNull(q.poll());
        for (int i = 0; i < 4; i++) {
            assertTrue(q.offer(i)); // capacity rounds up to 4
        }
        assertFalse(q.offer(9));
        for (int round = 0; round < 10; round++) {
            assertEquals(round, q.poll());
            assertTrue(q.offer(round + 4));
        }
    }

    @Test
    void deliversEveryItemInOrderAcrossThreads() throws InterruptedException {
        SpscQueue<Integer> q = new SpscQueue<>(2);
        int n = 20_000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                while (!q.offer(i)) {
                    Thread.yield();
                }
            }
        });
        producer.start();
        for (int i = 0; i < n; i++) {
            Integer v;
            while ((v = q.poll()) == null) {
                Thread.yield();
            }
            assertEquals(i, v);
        }
        producer.join();
    }
}
