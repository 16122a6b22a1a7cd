package archway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.UserError;
import archway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's pieces without a cluster: join proofs, give-up rule, option checks, CLI errors. */
class ClusterPartsTest {
    static final byte[] SECRET = "correct horse".getBytes(StandardCharsets.UTF_8);

    @Test
    void joinProofVerifiesOnlyWithTheSameSecretNameAndAttributes() {
        Map<String, String> a = JoinToken.attributes("c1", SECRET, ClusterRole.WORKER);
        assertTrue(JoinToken.verify("c1", SECRET, a));
        assertFalse(JoinToken.verify("c1", "wrong horse!".getBytes(StandardCharsets.UTF_8), a));
        assertFalse(JoinToken.verify("c2", SECRET, a), "a proof is bound to the cluster name");
        Map<String, String> promoted = new HashMap<>(a);
        promoted.put(JoinToken.ROLE, ClusterRole.COORDINATOR.name());
        assertFalse(JoinToken.verify("c1", SECRET, promoted), "the role is covered by the proof");
        Map<String, String> forged = new HashMap<>(a);
        forged.put(JoinToken.NONCE, "00" + a.get(JoinToken.NONCE).substring(2));
        assertFalse(JoinToken.verify("c1", SECRET, forged));
        assertFalse(JoinToken.verify("c1", SECRET, Map.of()));
        assertFalse(JoinToken.verify("c1", SECRET, null));
        assertTrue(!a.get(JoinToken.NONCE).equals(JoinToken.attributes("c1", SECRET, ClusterRole.WORKER).get(JoinToken.NONCE)),
                "every member draws its own nonce");
    }

    @Test
    void aTrialIsGivenUpAfterThreeEqualErrorsOrFiveDifferentOnes() {
        TrialFailures f = TrialFailures.none();
        f = f.plus(new TrialFailures.Attempt("w1", "E: x"));
        f = f.plus(new TrialFailures.Attempt("w2", "E: y"));
        f = f.plus(new TrialFailures.Attempt("w2", "E: x"));
        assertNull(f.giveUpError(), "two equal errors and one other: try again");
        f = f.plus(new TrialFailures.Attempt("w3", "E: x"));
        assertEquals("E: x", f.giveUpError());
        assertEquals("4 attempts on w1, w2, w2, w3", f.where());
        TrialFailures mixed = TrialFailures.none();
        for (String e : List.of("a", "b", "c", "d")) {
            mixed = mixed.plus(new TrialFailures.Attempt("w", e));
        }
        assertNull(mixed.giveUpError());
        assertEquals("e", mixed.plus(new TrialFailures.Attempt("w", "e")).giveUpError());
    }

    @Test
    void badAddressesAndSecretsAreUserErrors() {
        ClusterAddress local = ClusterAddress.parse("127.0.0.1:5701", "--join");
        assertEquals(new ClusterAddress("127.0.0.1", 5701), local);
        assertThrows(UserError.class, () -> ClusterAddress.parse("127.0.0.1", "--join"));
        assertThrows(UserError.class, () -> ClusterAddress.parse("h:70000", "--join"));
        assertThrows(UserError.class, () -> ClusterAddress.parse("h:x", "--join"));
        assertThrows(UserError.class, () -> ClusterOptions.of(local, "127.0.0.1", null, "c", "short"));
        assertThrows(UserError.class, () -> ClusterOptions.of(local, "0.0.0.0", null, "c", "long enough"));
        assertThrows(UserError.class, () -> ClusterOptions.of(local, "my-host", null, "c", "long enough"));
        UserError loop = assertThrows(UserError.class,
                () -> ClusterOptions.of(ClusterAddress.parse("192.0.2.1:5701", "--join"), "127.0.0.1", null, "c", "long enough"));
        assertTrue(loop.getMessage().contains("could not connect back"), loop.getMessage());
        ClusterOptions o = ClusterOptions.of(local, "127.0.0.1", null, "c", "long enough");
        assertEquals(ClusterOptions.DEFAULT_PORT, o.port());
        assertTrue(o.autoIncrement(), "without --port the next free port is taken");
        assertFalse(ClusterOptions.of(local, "127.0.0.1", 5801, "c", "long enough").autoIncrement());
    }

    @Test
    void workerFlagsAreCheckedBeforeAnythingStarts() {
        assertEquals(2, run("worker", "--join", "127.0.0.1:5701", "--device", "cuda", "--gpus", "0,1", "--cluster-secret",
                "long enough"));
        assertEquals(2, run("worker", "--join", "127.0.0.1:5701", "--gpus", "0,1", "--cluster-secret", "long enough"));
        assertEquals(2, run("worker", "--join", "127.0.0.1:5701", "--slots", "0", "--cluster-secret", "long enough"));
        assertEquals(2, run("worker", "--join", "127.0.0.1", "--cluster-secret", "long enough"));
        assertEquals(2, run("retrain", "--arch", "not-an-arch", "--out", "target/never"));
    }

    private static int run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("error: ") && !text.contains("\tat "), text);
            return code;
        } finally {
            System.setErr(err);
        }
    }
}
