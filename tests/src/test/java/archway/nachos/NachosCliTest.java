package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nas search --algo nachos} and {@code nas eval}: one-line user errors, and a tiny search whose admissible
 * members, evaluated again from their saved weights, give the top-1 and MACs the search recorded and keep to the
 * budget.
 */
class NachosCliTest {
    private static void assertUserError(CliRun r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badInputIsOneErrorLine(@TempDir Path dir) throws Exception {
        assertUserError(CliRun.of("search", "--algo", "nachos", "--space", "mbv3", "--out", dir.resolve("a").toString()),
                "--macs-max");
        assertUserError(CliRun.of("search", "--algo", "nachos", "--space", "nb201", "--macs-max", "1e6"), "mbv3");
        assertUserError(CliRun.of("search", "--algo", "nachos", "--space", "mbv3", "--macs-max", "1e6", "--supernet",
                dir.toString()), "--supernet");
        assertUserError(CliRun.of("search", "--algo", "nachos", "--space", "mbv3", "--macs-max", "1e6", "--params-max",
                "5", "--sam-rho", "1"), "--params-max, --sam-rho do not apply to --algo nachos");
        assertUserError(CliRun.of("search", "--algo", "flatnas", "--space", "mbv3", "--macs-max", "1e6"),
                "--macs-max does not apply to --algo flatnas");
        // The differentiable search path names the evolutionary algorithms too, and sends mbv3 to them.
        assertUserError(CliRun.of("search", "--algo", "nope"), "evolutionary, on --space mbv3: flatnas, nachos");
        assertUserError(CliRun.of("search", "--space", "mbv3", "--algo", "a2m"),
                "--space mbv3 is searched by the evolutionary algorithms (--algo flatnas, nachos); "
                        + "--algo a2m searches nb201 or darts");
        assertUserError(CliRun.of("eval", "--run", dir.resolve("none").toString()), "no result.json");
        Files.writeString(dir.resolve("result.json"), "{\"algo\":\"nachos\",\"macs_max\":1.0,\"front\":[]}");
        assertUserError(CliRun.of("eval", "--run", dir.toString(), "--member", "0"), "--member");
    }

    private static final Pattern MEMBER = Pattern.compile(
            "top-1 ([0-9.]+)% \\(search said ([0-9.]+)%\\); average MACs spent ([0-9,]+) per image \\(search said ([0-9,]+);");

    @Test
    void aTinySearchThenEvalReproducesItsAdmissibleMembers(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun s = CliRun.of("search", "--algo", "nachos", "--space", "mbv3", "--macs-max", "1e8", "--iterations", "0",
                "--initial", "2", "--trial-epochs", "1", "--train-limit", "160", "--batch", "32", "--threads", "1",
                "--seed", "2", "--out", run.toString());
        assertEquals(0, s.code(), s.err());
        JsonNode result = new ObjectMapper().readTree(run.resolve("result.json").toFile());
        int admissible = result.get("front").size();
        assertTrue(admissible >= 1, "a budget above every network admits the whole front");
        assertTrue(Files.exists(run.resolve("pareto.png")));
        assertTrue(Files.exists(run.resolve("pareto.json")) && Files.exists(run.resolve("report.html")),
                "the run report and what it draws the front from");
        CliRun e = CliRun.of("eval", "--run", run.toString());
        assertEquals(0, e.code(), e.err());
        Matcher m = MEMBER.matcher(e.out());
        int seen = 0;
        while (m.find()) {
            assertEquals(m.group(2), m.group(1), "top-1 measured again");
            double measured = Double.parseDouble(m.group(3).replace(",", ""));
            double recorded = Double.parseDouble(m.group(4).replace(",", ""));
            assertEquals(recorded, measured, 0.5, "average MACs: traced per sample vs the search's expected MACs");
            assertTrue(measured <= 1e8);
            seen++;
        }
        assertEquals(admissible, seen, e.out());
        assertTrue(e.out().contains(admissible + " of " + admissible + " evaluated members within --macs-max"), e.out());
    }
}
