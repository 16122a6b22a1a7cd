package archway.landscape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench201 and landscape commands end to end: output, files, and one-line errors with exit code 2. */
class LandscapeCliTest {
    private static void assertUserError(CliRun r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void lookupAndStats() {
        CliRun r = CliRun.of("bench201", "lookup", "333132");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("index             6111"), r.out());
        assertTrue(r.out().contains("94.37%"), r.out());
        assertTrue(CliRun.of("bench201", "lookup", "6111", "--json").out().contains("\"isomorphicTwins\" : 0"));
        CliRun s = CliRun.of("bench201", "stats", "--json");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("\"bestIndex\" : 6111"), s.out());
    }

    @Test
    void userErrors(@TempDir Path tmp) throws IOException {
        assertUserError(CliRun.of("bench201", "lookup", "99999"), "ARCH: index 99999 is out of range");
        assertUserError(CliRun.of("bench201", "lookup", "|none~0|"), "ARCH: bad NB201 architecture string");
        assertUserError(CliRun.of("bench201", "lookup", "1", "--table", tmp.resolve("missing.csv").toString()), "missing.csv does not exist");
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "a,b\n");
        assertUserError(CliRun.of("bench201", "stats", "--table", bad.toString()), bad + ":1: bad header");
        assertUserError(CliRun.of("landscape", "neighbours", "--dataset", "cifar10", "--radius", "4"), "--radius: 4 is not 1, 2 or 3");
        assertUserError(CliRun.of("landscape", "neighbours", "--dataset", "mnist"), "unknown NB201 dataset 'mnist'");
        assertUserError(CliRun.of("landscape", "neighbours", "--dataset", "cifar10", "--bands", "1-2"), "--bands: bad band '1-2'");
        assertUserError(CliRun.of("landscape", "paths", "--dataset", "cifar10"), "choose exactly one of");
        assertUserError(CliRun.of("landscape", "paths", "--dataset", "cifar10", "--from", "1"), "--from and --to go together");
        assertUserError(CliRun.of("landscape", "paths", "--dataset", "cifar10", "--random-pairs", "5"), "needs --band");
        assertUserError(CliRun.of("landscape", "paths", "--dataset", "cifar10", "--random-pairs", "5", "--band", "Q"), "--band: unknown band 'Q'");
        assertUserError(CliRun.of("landscape", "paths", "--dataset", "cifar10", "--pairs", "mine"), "--pairs: 'mine'");
        assertUserError(CliRun.of("landscape", "paths", "--dataset", "cifar10", "--from", "1", "--to", "77777x"), "--to: ");
    }

    @Test
    void neighboursAndPathsWriteJsonAndPng(@TempDir Path tmp) {
        CliRun n = CliRun.of("landscape", "neighbours", "--dataset", "cifar100", "--radius", "1", "--out", tmp.toString());
        assertEquals(0, n.code(), n.err());
        assertTrue(n.out().contains("CIFAR-100, radius 1: 24 neighbours per architecture"), n.out());
        assertTrue(Files.isRegularFile(tmp.resolve("neighbours-cifar100-r1.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("neighbours-cifar100-r1.png")));
        CliRun p = CliRun.of("landscape", "paths", "--dataset", "cifar10", "--from", "6111", "--to", "333313", "--out", tmp.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("distance 3, changed edges 3<-0 3<-1 3<-2, 6 shortest paths"), p.out());
        assertTrue(Files.isRegularFile(tmp.resolve("path-cifar10-6111-14624.png")));
        CliRun q = CliRun.of("landscape", "paths", "--dataset", "imagenet16-120", "--random-pairs", "10", "--band", "B", "--json");
        assertEquals(0, q.code(), q.err());
        assertTrue(q.out().contains("\"selection\" : \"10 random pairs of distinct architectures in band B [34.3, 35.7], seed 1\""), q.out());
    }

    @Test
    void reportWritesEverything(@TempDir Path tmp) throws IOException {
        CliRun r = CliRun.of("landscape", "report", "--out", tmp.toString(), "--random-pairs", "5");
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(tmp.resolve("README.md"));
        assertTrue(md.contains("./nas landscape report --out " + tmp + " --random-pairs 5"), md);
        assertTrue(md.contains("## Verdicts"));
        for (String d : new String[] {"cifar10", "cifar100", "imagenet16-120"}) {
            for (String f : new String[] {"neighbours-%s.json", "neighbours-%s.png", "paths-paper-%s.json", "paths-paper-%s.png",
                    "path-example-%s.png", "paths-random-%s.json", "barriers-random-%s.png"}) {
                assertTrue(Files.size(tmp.resolve(String.format(f, d))) > 100, f + " " + d);
            }
        }
        assertTrue(Files.readString(tmp.resolve("summary.json")).contains("\"lowBarriers\""));
    }
}
