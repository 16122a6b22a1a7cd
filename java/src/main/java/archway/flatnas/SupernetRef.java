package archway.flatnas;

import java.util.Map;

/**
 * The trained once-for-all supernet FlatNAS candidates start from: its run directory (read by whoever runs the
 * trial, so on a cluster it must be at the same path on every worker) and its identity (the SHA-256 of its weights,
 * {@code Mbv3Supernet.identity()}), which is part of the trial spec, so that trials from different supernets have
 * different ids and a worker that finds other weights at that path refuses the trial instead of measuring them.
 */
public record SupernetRef(String dir, String identity) {
    /** Spec setting holding the supernet's run directory. */
    public static final String DIR = "supernet";
    /** Spec setting holding the supernet's identity. */
    public static final String IDENTITY = "supernet_id";

    public SupernetRef {
        if (dir == null || dir.isBlank() || identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a supernet reference needs a directory and an identity");
        }
    }

    void putInto(Map<String, String> settings) {
        settings.put(DIR, dir);
        settings.put(IDENTITY, identity);
    }

    /** The reference a spec's settings carry, or null when its candidates train from scratch. */
    static SupernetRef from(Map<String, String> settings) {
        String dir = settings.get(DIR);
        if (dir == null) {
            return null;
        }
        String id = settings.get(IDENTITY);
        if (id == null) {
            throw new IllegalArgumentException("FlatNAS trial names supernet " + dir + " without its '" + IDENTITY + "'");
        }
        return new SupernetRef(dir, id);
    }
}
