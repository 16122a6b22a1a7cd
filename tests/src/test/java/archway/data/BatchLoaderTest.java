package archway.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.FlatOps;
import archway.runtime.cpu.CpuBackend;
import archway.runtime.cpu.CpuBuffer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentHashMap;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The background loader and the synchronous evaluation batches. */
class BatchLoaderTest {
    private static final int N = 50;
    private static final int C = 3;
    private static final int H = 8;
    private static final int W = 8;
    private static final int B = 8;

    /** Image i has pixel 0 of channel 0 equal to i, so a batch reveals which images it holds. */
    private static Dataset dataset() {
        byte[] px = TestFiles.randomBytes(N * C * H * W, 3);
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            px[i * C * H * W] = (byte) i;
            labels[i] = i % 10;
        }
        return new Dataset("synthetic", C, H, W, 10, px, labels, null);
    }

    private static final ChannelStats IDENTITY = new ChannelStats(new double[] {0, 0, 0}, new double[] {1, 1, 1});

    private static int[] all() {
        int[] a = new int[N];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /** A copy of one batch: floats, labels, epoch and step. */
    private record Snapshot(float[] images, int[] labels, int epoch, int step) {
        static Snapshot of(Batch b) {
            float[] f = CpuBuffer.segment(b.images()).asSlice(0, (long) b.size() * C * H * W * 4).toArray(ValueLayout.JAVA_FLOAT);
            int[] l = CpuBuffer.segment(b.labels()).asSlice(0, (long) b.size() * 4).toArray(ValueLayout.JAVA_INT);
            return new Snapshot(f, l, b.epoch(), b.step());
        }

        void assertSame(Snapshot o) {
            assertEquals(epoch, o.epoch);
            assertEquals(step, o.step);
            assertArrayEquals(labels, o.labels);
            assertArrayEquals(images, o.images);
        }
    }

    private static List<Snapshot> take(BatchLoader loader, int count) {
        List<Snapshot> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Batch b = loader.next()) {
                out.add(Snapshot.of(b));
            }
        }
        return out;
    }

    private static final Augmentation FULL = new Augmentation(4, true, 3);

    @Test
    void sameSeedSameBatchesDifferentSeedDifferent() {
        Dataset ds = dataset();
        List<Snapshot> a;
        List<Snapshot> b;
        List<Snapshot> c;
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 5)) {
            assertEquals(6, l.stepsPerEpoch());
            a = take(l, 14);
        }
        try (BatchLoader l = new BatchLoader(ds, all(), B, FULL, ChannelStats.of(ds), 5, 0, 0, 2)) {
            b = take(l, 14);
        }
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 6)) {
            c = take(l, 1);
        }
        for (int i = 0; i < a.size(); i++) {
            a.get(i).assertSame(b.get(i));
            assertEquals(i / 6, a.get(i).epoch());
            assertEquals(i % 6, a.get(i).step());
        }
        assertFalse(Arrays.equals(a.get(0).images(), c.get(0).images()));
    }

    @Test
    void resumeAtEpochAndStepSeesTheSameBatches() {
        Dataset ds = dataset();
        List<Snapshot> full;
        List<Snapshot> resumed;
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 9)) {
            full = take(l, 13);
        }
        try (BatchLoader l = BatchLoader.resume(ds, all(), B, FULL, ChannelStats.of(ds), 9, 1, 2)) {
            resumed = take(l, 5);
        }
        for (int i = 0; i < 5; i++) {
            full.get(8 + i).assertSame(resumed.get(i));
        }
    }

    @Test
    void withoutAugmentationBatchesAreNormalisedImagesOfEachIndexOncePerEpoch() {
        Dataset ds = dataset();
        int[] indices = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37};
        ChannelStats stats = ChannelStats.of(ds);
        try (BatchLoader l = BatchLoader.start(ds, indices, 4, Augmentation.NONE, stats, 1)) {
            assertEquals(4, l.stepsPerEpoch());
            for (int e = 0; e < 2; e++) {
                Set<Integer> seen = new HashSet<>();
                for (int s = 0; s < 4; s++) {
                    try (Batch b = l.next()) {
                        for (int slot = 0; slot < 4; slot++) {
                            // Recover the image index from pixel 0 through the normalisation.
                            double v = CpuBuffer.segment(b.images()).getAtIndex(ValueLayout.JAVA_FLOAT, (long) slot * C * H * W);
                            int idx = (int) Math.round((v * (float) stats.std(0) + (float) stats.mean(0)) * 255);
                            assertTrue(seen.add(idx), "index " + idx + " twice in epoch " + e);
                            assertTrue(Arrays.binarySearch(indices, idx) >= 0, "index " + idx + " not in the list");
                            assertEquals(ds.label(idx), CpuBuffer.segment(b.labels()).getAtIndex(ValueLayout.JAVA_INT, slot));
                            for (int p = 0; p < C * H * W; p++) {
                                int ch = p / (H * W);
                                double expected = ((ds.pixel(idx, ch, p / W % H, p % W)) / 255.0 - stats.mean(ch))
                                        / stats.std(ch);
                                assertEquals(expected, CpuBuffer.segment(b.images()).getAtIndex(ValueLayout.JAVA_FLOAT,
                                        (long) slot * C * H * W + p), 1e-4);
                            }
                        }
                    }
                }
                assertEquals(16, seen.size());
            }
        }
    }

    @Test
    void augmentationKeepsShapesAndChangesPixels() {
        Dataset ds = dataset();
        try (BatchLoader plain = BatchLoader.start(ds, all(), B, Augmentation.NONE, IDENTITY, 2);
             BatchLoader aug = BatchLoader.start(ds, all(), B, FULL, IDENTITY, 2)) {
            try (Batch p = plain.next(); Batch a = aug.next()) {
                assertEquals(B, a.size());
                assertEquals(B, a.capacity());
                assertEquals(C, a.channels());
                assertEquals(H, a.height());
                assertEquals(W, a.width());
                assertEquals((long) B * C * H * W * 4, CpuBuffer.segment(a.images()).byteSize());
                assertEquals((long) B * 4, CpuBuffer.segment(a.labels()).byteSize());
                // Same seed, same shuffle: same labels; augmented pixels differ somewhere.
                assertArrayEquals(Snapshot.of(p).labels(), Snapshot.of(a).labels());
                assertFalse(Arrays.equals(Snapshot.of(p).images(), Snapshot.of(a).images()));
                for (float v : Snapshot.of(a).images()) {
                    assertTrue(v >= 0f && v <= 1f);
                }
            }
        }
    }

    @Test
    void steadyStateAllocatesNothingOnTheProducer() {
        Dataset ds = dataset();
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 4)) {
            take(l, 3000); // warm-up, lets the JIT remove temporary segment views
            long id = l.producerThread().threadId();
            long before = mx.getThreadAllocatedBytes(id);
            int batches = 2000;
            for (int i = 0; i < batches; i++) {
                l.next().close();
            }
            long perBatch = (mx.getThreadAllocatedBytes(id) - before) / batches;
            // A batch holds 6 KiB of floats; anything per-batch-sized would show. Allow a little JIT noise.
            assertTrue(perBatch < 64, "producer allocates " + perBatch + " bytes per batch");
        }
    }

    @Test
    void closeStopsTheProducerAndNextFailsAfterwards() {
        Dataset ds = dataset();
        BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 1);
        Batch held = l.next();
        held.close();
        held.close(); // a second close is harmless
        l.close();
        assertFalse(l.producerThread().isAlive());
        assertThrows(IllegalStateException.class, l::next);
        l.close();
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.start(ds, new int[] {1, 2}, B, FULL, IDENTITY, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.start(ds, new int[] {1, 2, 3, 4, 5, 6, 7, 99},
                B, FULL, IDENTITY, 0));
    }

    @Test
    void evalBatchesAreInOrderWithAPartialLastBatch() {
        Dataset ds = dataset();
        ChannelStats stats = ChannelStats.of(ds);
        try (EvalBatches it = new EvalBatches(ds, 16, stats)) {
            assertEquals(4, it.batchCount());
            for (int round = 0; round < 2; round++) {
                int seen = 0;
                int number = 0;
                while (it.hasNext()) {
                    Batch b = it.next();
                    assertEquals(number++, b.step());
                    assertEquals(number < 4 ? 16 : 2, b.size());
                    for (int slot = 0; slot < b.size(); slot++) {
                        int idx = seen + slot;
                        assertEquals(ds.label(idx), CpuBuffer.segment(b.labels()).getAtIndex(ValueLayout.JAVA_INT, slot));
                        double expected = (ds.pixel(idx, 2, 3, 4) / 255.0 - stats.mean(2)) / stats.std(2);
                        long off = (long) slot * C * H * W + 2 * H * W + 3 * W + 4;
                        assertEquals(expected, CpuBuffer.segment(b.images()).getAtIndex(ValueLayout.JAVA_FLOAT, off), 1e-4);
                    }
                    seen += b.size();
                }
                assertEquals(N, seen);
                it.reset();
            }
        }
    }

    /**
     * The loader's device work (upload, normalisation) comes from the thread that takes the batches, never
     * from its producer: on a GPU, work queued from another thread can land inside a graph capture, and a
     * synchronising copy breaks it (what the first GPU run found). The backend here records the thread of
     * every FlatOps call.
     */
    @Test
    void deviceWorkComesOnlyFromTheConsumersThread() {
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        Backend cpu = CpuBackend.instance();
        FlatOps flat = proxy(FlatOps.class, (m, a) -> {
            callers.add(Thread.currentThread());
            return call(m, cpu.flat(), a);
        });
        Backends.use(proxy(Backend.class, (m, a) -> m.getName().equals("flat") ? flat : call(m, cpu, a)));
        Dataset ds = dataset();
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 9)) {
            for (int i = 0; i < 12; i++) {
                try (Batch b = l.next()) {
                    assertEquals(B, b.size());
                }
            }
        } finally {
            Backends.reset();
        }
        assertEquals(Set.of(Thread.currentThread()), callers);
    }

    /**
     * A backend that converts on the host (the CUDA one) gets batches normalised by the producer and
     * uploaded as floats: the same bits as the CPU backend's native conversion, and no conversion call.
     */
    @Test
    void hostConversionGivesTheCpuBatchesBitForBit() {
        Dataset ds = dataset();
        List<Snapshot> cpu = new ArrayList<>();
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 4)) {
            for (int i = 0; i < 12; i++) {
                try (Batch b = l.next()) {
                    cpu.add(Snapshot.of(b));
                }
            }
        }
        Set<String> flatCalls = ConcurrentHashMap.newKeySet();
        Backend base = CpuBackend.instance();
        FlatOps flat = proxy(FlatOps.class, (m, a) -> {
            flatCalls.add(m.getName());
            return call(m, base.flat(), a);
        });
        Backends.use(proxy(Backend.class, (m, a) -> switch (m.getName()) {
            case "convertsImagesOnHost" -> true;
            case "flat" -> flat;
            default -> call(m, base, a);
        }));
        try (BatchLoader l = BatchLoader.start(ds, all(), B, FULL, ChannelStats.of(ds), 4)) {
            for (int i = 0; i < 12; i++) {
                try (Batch b = l.next()) {
                    cpu.get(i).assertSame(Snapshot.of(b));
                }
            }
        } finally {
            Backends.reset();
        }
        assertFalse(flatCalls.contains("u8ToF32Normalize"), "converted on the host, not by the backend: " + flatCalls);
    }

    private interface Handler {
        Object handle(Method m, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Handler h) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> h.handle(m, a)));
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
