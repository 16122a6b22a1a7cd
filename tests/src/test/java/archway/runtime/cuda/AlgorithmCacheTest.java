package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import archway.runtime.ConvShape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One algorithm search per (descriptor, pass): equal shapes hit, any differing field or pass misses. */
class AlgorithmCacheTest {
    @Test
    void searchesOncePerDistinctDescriptorAndPass() {
        AlgorithmCache cache = new AlgorithmCache();
        List<AlgorithmKey> searched = new ArrayList<>();
        ConvShape s = new ConvShape(64, 16, 32, 32, 16, 3, 1, 1, 1, 1);
        AlgorithmKey fwd = new AlgorithmKey(ConvDescriptor.of(s), ConvPass.FORWARD);
        ConvAlgorithm first = cache.get(fwd, k -> {
            searched.add(k);
            return new ConvAlgorithm(1, 1000);
        });
        // The same shape built again (another cell's conv) is an equal key: no second search.
        AlgorithmKey again = new AlgorithmKey(ConvDescriptor.of(new ConvShape(64, 16, 32, 32, 16, 3, 1, 1, 1, 1)),
                ConvPass.FORWARD);
        assertSame(first, cache.get(again, k -> {
            searched.add(k);
            return new ConvAlgorithm(2, 0);
        }));
        cache.get(new AlgorithmKey(ConvDescriptor.of(s), ConvPass.BACKWARD_FILTER), k -> {
            searched.add(k);
            return new ConvAlgorithm(3, 5000);
        });
        cache.get(new AlgorithmKey(ConvDescriptor.of(new ConvShape(64, 16, 32, 32, 16, 3, 1, 2, 2, 1)), ConvPass.FORWARD),
                k -> {
                    searched.add(k);
                    return new ConvAlgorithm(4, 200);
                });
        cache.get(new AlgorithmKey(ConvDescriptor.of(new ConvShape(64, 16, 32, 32, 16, 3, 1, 1, 1, 16)), ConvPass.FORWARD),
                k -> {
                    searched.add(k);
                    return new ConvAlgorithm(5, 0);
                });
        assertEquals(4, searched.size());
        assertEquals(4, cache.searches());
        assertEquals(4, cache.size());
        assertEquals(5000, cache.maxWorkspaceBytes());
    }
}
