package archway.spaces.mbv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code nas space count}: the counts of {@link Mbv3Count} as JSON or text, one-line errors. */
class SpaceCountCommandTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void printsTheCountsAsJsonAndText() {
        Mbv3Arch a = Mbv3Arch.uniform(3, 5, 4);
        Mbv3Count c = Mbv3Count.of(a, 3, 32, 100);
        Result r = run("space", "count", "--space", "mbv3", "--arch", Mbv3Json.write(a), "--in-channels", "3",
                "--resolution", "32", "--classes", "100", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"params\": " + c.params() + ", \"macs\": " + c.macs() + "}", r.out().strip());
        Result t = run("space", "count", "--space", "mbv3", "--arch", Mbv3Json.write(a.withResolution(32)), "--classes", "100");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains(String.format(java.util.Locale.ROOT, "%,d", c.params())), t.out());
        assertTrue(t.out().contains(String.format(java.util.Locale.ROOT, "%,d", c.macs())), t.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String arch = Mbv3Json.write(Mbv3Arch.smallest());
        Result noRes = run("space", "count", "--space", "mbv3", "--arch", arch);
        assertEquals(2, noRes.code());
        assertEquals("error: give --resolution (the arch has no \"r\")", noRes.err().strip());
        Result bad = run("space", "count", "--space", "mbv3", "--arch", arch.replace("\"d\":[2,", "\"d\":[9,"), "--resolution", "28");
        assertEquals(2, bad.code());
        assertEquals("error: --arch: d value 9 is not one of [2, 3, 4]", bad.err().strip());
        assertEquals(2, run("space", "count", "--space", "darts", "--arch", arch, "--resolution", "28").code());
    }
}
