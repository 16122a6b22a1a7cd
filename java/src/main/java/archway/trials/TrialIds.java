package archway.trials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable trial ids: the first 16 bytes of SHA-256 over kind and spec, in hex. */
public final class TrialIds {
    private TrialIds() {
    }

    public static String of(String kind, String spec) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(kind.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(spec.getBytes(StandardCharsets.UTF_8));
            byte[] d = sha.digest();
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
