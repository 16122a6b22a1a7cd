package archway.runtime.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * cuDNN algorithm choices, made once per (descriptor, pass) and reused: choosing runs cuDNN's search
 * (cudnnFind*, which times candidates on the device), far too slow for every bind. Plans of the same
 * supernet share most convolution shapes, so one cache per backend serves them all. The largest
 * workspace any cached choice needs sizes the one workspace the backend keeps in its arena.
 */
public final class AlgorithmCache {
    private final Map<AlgorithmKey, ConvAlgorithm> chosen = new HashMap<>();
    private long searches;
    private long maxWorkspaceBytes;

    /** The cached choice for {@code key}, or {@code search}'s answer (cached) when there is none yet. */
    public synchronized ConvAlgorithm get(AlgorithmKey key, Function<AlgorithmKey, ConvAlgorithm> search) {
        ConvAlgorithm a = chosen.get(key);
        if (a == null) {
            a = search.apply(key);
            if (a.workspaceBytes() < 0) {
                throw new IllegalStateException("negative workspace for " + key);
            }
            searches++;
            chosen.put(key, a);
            maxWorkspaceBytes = Math.max(maxWorkspaceBytes, a.workspaceBytes());
        }
        return a;
    }

    /** How many searches ran (one per distinct key). */
    public synchronized long searches() { return searches; }

    public synchronized int size() { return chosen.size(); }

    /** The largest workspace any cached algorithm needs. */
    public synchronized long maxWorkspaceBytes() { return maxWorkspaceBytes; }
}
