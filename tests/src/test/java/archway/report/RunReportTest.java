package archway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html and compare pages: what they say, that they stand alone, and the CLI around them. */
class RunReportTest {
    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Result(Main.run(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Every picture is a data URI; nothing is fetched (no src/href to anything else). */
    private static void assertSelfContained(String html) {
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            assertTrue(m.group(1).startsWith("data:image/"), "page refers to " + m.group(1));
        }
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no external style sheets");
    }

    @Test
    void factsComeFromTheResult(@TempDir Path tmp) {
        RunRecord run = RunRecord.load(FakeRuns.dartsNb201(tmp.resolve("run"), 0, true));
        Map<String, String> f = RunReport.facts(run);
        assertEquals("27.00%", f.get("validation accuracy, last epoch"));
        assertEquals("93.50%", f.get("NAS-Bench-201 CIFAR-10"));
        assertEquals("12.3 s", f.get("search time"));
        assertEquals("321 MiB", f.get("peak memory"));
        assertFalse(f.containsKey("NAS-Bench-201 CIFAR-100"), "only what the run has");
        assertEquals("finished, 3 epochs", RunReport.status(run));
        RunRecord unfinished = RunRecord.load(FakeRuns.dartsNb201(tmp.resolve("unfinished"), 0, false));
        assertEquals("unfinished: 3 of 3 epochs", RunReport.status(unfinished));
        assertEquals(CellGraphTest.NB201.replace("none~1", "nor_conv_3x3~1"), unfinished.architecture(), "last epoch's genotype");
    }

    @Test
    void aSupernetRunShowsItsLargestAndSmallestSubnets(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("supernet"));
        Files.writeString(dir.resolve("config.json"), "{\"command\":\"supernet train\",\"space\":\"mbv3\","
                + "\"dataset\":\"fashion-mnist-mini\",\"epochs\":2}");
        Files.writeString(dir.resolve("metrics.jsonl"), """
                {"epoch":1,"train_loss_largest":2.2,"train_loss_smallest":2.1,"train_loss_random":2.3,"largest_test_accuracy":15.3,"smallest_test_accuracy":19.6}
                {"epoch":2,"train_loss_largest":1.9,"train_loss_smallest":2.0,"train_loss_random":2.1,"largest_test_accuracy":31.25,"smallest_test_accuracy":28.5}
                """);
        Files.writeString(dir.resolve("result.json"), "{\"params\":6396282,\"seconds\":15.73}");
        RunRecord run = RunRecord.load(dir);
        assertEquals("supernet train mbv3 on fashion-mnist-mini", RunReport.title(run));
        assertEquals("finished, 2 epochs", RunReport.status(run));
        Map<String, String> f = RunReport.facts(run);
        assertEquals("31.25%", f.get("largest subnet, test accuracy"));
        assertEquals("28.50%", f.get("smallest subnet, test accuracy"));
        assertEquals("6,396,282", f.get("shared weights"));
        assertEquals(3, RunCharts.loss(run).series().size(), "largest, smallest, random; no empty train/validation");
        assertEquals(2, RunCharts.accuracy(run).series().size());
        String html = RunReport.html(run, false);
        assertSelfContained(html);
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "loss and accuracy curves");
    }

    @Test
    void anUnfinishedEvolutionaryRunCountsItsIterationsAndHasNoFrontYet(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("flatnas"));
        Files.writeString(dir.resolve("config.json"), "{\"command\":\"search\",\"algo\":\"flatnas\",\"space\":\"mbv3\","
                + "\"dataset\":\"fashion-mnist-mini\",\"iterations\":10}");
        Files.writeString(dir.resolve("metrics.jsonl"), """
                {"iteration":0,"archive":100,"hypervolume":0.8,"best_error":41.5}
                {"iteration":1,"archive":108,"hypervolume":0.9,"best_error":40.25}
                """);
        RunRecord run = RunRecord.load(dir);
        assertTrue(run.byIteration());
        assertEquals("unfinished: initial design and 1 of 10 iterations", RunReport.status(run));
        Map<String, String> f = RunReport.facts(run);
        assertEquals("108", f.get("archive"));
        assertEquals("40.25%", f.get("lowest error"));
        assertFalse(f.containsKey("front members"), "no result.json yet");
        assertEquals("no front yet (unfinished)", RunReport.noArchitecture(run));
        String html = RunReport.html(run, false);
        assertTrue(html.contains("<h2>Per iteration</h2>") && !html.contains("Front members"), html);
    }

    @Test
    void retrainSettingsReadAsTheValuesOtherRunsRecord() {
        assertEquals(0.1, RetrainRuns.typed("0.1"));
        assertEquals(5.0e-4, RetrainRuns.typed("5.0E-4"));
        assertEquals(64, RetrainRuns.typed("64"), "an Integer, as Jackson reads 64 from config.json");
        assertEquals(true, RetrainRuns.typed("true"));
        assertEquals("fashion-mnist-mini", RetrainRuns.typed("fashion-mnist-mini"));
        assertEquals("1e", RetrainRuns.typed("1e"));
    }

    @Test
    void numbersAreShortAndValuesEscaped() {
        assertEquals("0.1235", Html.number(0.123456));
        assertEquals("1,235", Html.number(1234.5));
        assertEquals("3.000e-04", Html.number(3e-4));
        assertEquals("2", Html.number(2.0));
        assertEquals("[0.5, 0.999]", Html.text(java.util.List.of(0.5, 0.999)));
        assertEquals("12,345", Html.text(12345));
        assertEquals("&lt;a&gt; &amp;", Html.value("<a> &"));
    }

    @Test
    void pageHasPicturesTablesAndNothingFromTheNetwork(@TempDir Path tmp) {
        RunRecord run = RunRecord.load(FakeRuns.dartsNb201(tmp.resolve("run"), 0, true));
        String html = RunReport.html(run, false);
        assertSelfContained(html);
        // Cell (Java2D), loss, accuracy, mixing weights.
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1, "pictures");
        assertTrue(html.contains("<h2>Per epoch</h2>") && html.contains("<th>val_loss</th>"));
        assertFalse(html.contains("<th>probabilities</th>"), "arrays are pictures, not columns");
        // Epochs 1 and 2 share a genotype: the second row says so instead of repeating it.
        assertEquals(1, html.split(">same<", -1).length - 1);
        assertTrue(html.contains("<th class=t>seed</th>"), "configuration table");
        RunRecord zo = RunRecord.load(FakeRuns.zoPlusPlus(tmp.resolve("zo")));
        String zoHtml = RunReport.html(zo, false);
        assertSelfContained(zoHtml);
        assertTrue(zoHtml.contains("stage 2 (2 cells)"), "size-variable cells drawn per stage");
        assertTrue(zoHtml.contains("10,000 .. 18,000"), "budget band fact");
    }

    @Test
    void paretoHistoryIsDrawnWhenTheRunHasOne(@TempDir Path tmp) {
        Path dir = FakeRuns.dartsNb201(tmp.resolve("run"), 0, true);
        ParetoHistoryTest.history().write(dir.resolve(ParetoHistory.FILE));
        String html = RunReport.html(RunRecord.load(dir), false);
        assertTrue(html.contains("<h2>Pareto front</h2>"));
        assertEquals(6, html.split("data:image/png;base64,", -1).length - 1, "two more pictures");
        assertTrue(html.contains("<code>a</code>") && html.contains("<code>d</code>") && !html.contains("<code>c</code>"),
                "front table lists the final front only");
    }

    @Test
    void reportAndCompareCommands(@TempDir Path tmp) throws Exception {
        Path a = FakeRuns.dartsNb201(tmp.resolve("seed0"), 0, true), b = FakeRuns.dartsNb201(tmp.resolve("seed1"), 1, true);
        Result r = cli("report", a.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("report: " + a.resolve("report.html") + "\n", r.out().replace("\r", ""));
        assertTrue(Files.readString(a.resolve("report.html")).startsWith("<!DOCTYPE html>"));

        Path page = tmp.resolve("seeds.html");
        r = cli("compare", a.toString(), b.toString(), "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(page);
        assertSelfContained(html);
        assertTrue(html.contains("<th>seed0</th><th>seed1</th>"), "runs side by side");
        assertTrue(html.contains("<th class=t>config: seed</th><td>0</td><td>1</td>"), html);
    }

    @Test
    void badRunDirectoryIsOneErrorLine(@TempDir Path tmp) throws Exception {
        for (String[] args : new String[][] {{"report", tmp.resolve("missing").toString()}, {"report", tmp.toString()},
                {"compare", tmp.toString()}, {"compare"}, {"report"}}) {
            Result r = cli(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("error: ") || r.err().contains("Missing required parameter"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        Result r = cli("report", tmp.resolve("missing").toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Files.writeString(tmp.resolve("config.json"), "{not json");
        r = cli("report", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("config.json"), r.err());
    }

    @Test
    void trainCommandEndsByWritingTheReport(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("train");
        Result r = cli("train", "--arch", "333313", "--epochs", "1", "--channels", "4", "--cells", "1", "--batch", "32",
                "--train-limit", "64", "--threads", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().endsWith("report: " + dir.resolve("report.html")), r.out());
        String html = Files.readString(dir.resolve("report.html"));
        assertSelfContained(html);
        assertTrue(html.contains("test accuracy") && html.contains("parameters"), "train facts");
    }
}
