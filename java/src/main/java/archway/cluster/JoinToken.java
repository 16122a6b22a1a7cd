package archway.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof of the shared secret a member carries in its member attributes: a random nonce and
 * HMAC-SHA256(secret, cluster name, nonce, role). The master checks it on every join request (see
 * {@link SecretCheckingNodeExtension}); every member checks it on every member it sees. The secret itself
 * never leaves the machine, but the token is sent in clear text and could be replayed by someone who can
 * read the traffic (README: what this does not protect against).
 */
public final class JoinToken {
    static final String NONCE = "archway.nonce";
    static final String PROOF = "archway.proof";
    static final String ROLE = "archway.role";

    private JoinToken() {
    }

    /** Member attributes proving the secret for a member of {@code role} in cluster {@code name}. */
    public static Map<String, String> attributes(String name, byte[] secret, ClusterRole role) {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String n = HexFormat.of().formatHex(nonce);
        Map<String, String> a = new HashMap<>();
        a.put(NONCE, n);
        a.put(ROLE, role.name());
        a.put(PROOF, proof(name, secret, n, role.name()));
        return a;
    }

    /** Whether {@code attributes} (of a joining or present member) prove knowledge of {@code secret}. */
    public static boolean verify(String name, byte[] secret, Map<String, String> attributes) {
        if (attributes == null) {
            return false;
        }
        String nonce = attributes.get(NONCE), role = attributes.get(ROLE), proof = attributes.get(PROOF);
        if (nonce == null || role == null || proof == null) {
            return false;
        }
        byte[] expected = proof(name, secret, nonce, role).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, proof.getBytes(StandardCharsets.US_ASCII));
    }

    private static String proof(String name, byte[] secret, String nonce, String role) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (String part : new String[] {"archway-cluster-join", name, nonce, role}) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }
}
