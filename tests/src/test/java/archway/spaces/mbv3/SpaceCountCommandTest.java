package archway.spaces.mbv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import org.junit.jupiter.api.Test;

/** {@code nas space count}: the counts of {@link Mbv3Count} as JSON or text, one-line errors. */
class SpaceCountCommandTest {
    @Test
    void printsTheCountsAsJsonAndText() {
        Mbv3Arch a = Mbv3Arch.uniform(3, 5, 4);
        Mbv3Count c = Mbv3Count.of(a, 3, 32, 100);
        CliRun r = CliRun.of("space", "count", "--space", "mbv3", "--arch", Mbv3Json.write(a), "--in-channels", "3",
                "--resolution", "32", "--classes", "100", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"params\": " + c.params() + ", \"macs\": " + c.macs() + "}", r.out().strip());
        CliRun t = CliRun.of("space", "count", "--space", "mbv3", "--arch", Mbv3Json.write(a.withResolution(32)), "--classes", "100");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains(String.format(java.util.Locale.ROOT, "%,d", c.params())), t.out());
        assertTrue(t.out().contains(String.format(java.util.Locale.ROOT, "%,d", c.macs())), t.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String arch = Mbv3Json.write(Mbv3Arch.smallest());
        CliRun noRes = CliRun.of("space", "count", "--space", "mbv3", "--arch", arch);
        assertEquals(2, noRes.code());
        assertEquals("error: give --resolution (the arch has no \"r\")", noRes.err().strip());
        CliRun bad = CliRun.of("space", "count", "--space", "mbv3", "--arch", arch.replace("\"d\":[2,", "\"d\":[9,"), "--resolution", "28");
        assertEquals(2, bad.code());
        assertEquals("error: --arch: d value 9 is not one of [2, 3, 4]", bad.err().strip());
        assertEquals(2, CliRun.of("space", "count", "--space", "darts", "--arch", arch, "--resolution", "28").code());
    }
}
