package archway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The layout of {@code nas} help texts. A parent command's help lists each subcommand by the first line of its
 * header (or description); that line must read as a whole, short sentence: descriptions wrapped mid-sentence
 * across array elements used to show in {@code nas --help} as "Print the CPU model, ..., thread counts," and stop
 * there. Preformatted lines (examples and their indented continuations) must fit the help width, or picocli
 * breaks them mid-token.
 */
class HelpTextLayoutTest {
    /** Longer summaries wrap over several lines of the list; a header line keeps them short. */
    private static final int MAX_SUMMARY = 110;

    @Test
    void everySubcommandIsListedWithACompleteShortSentence() {
        List<String> cut = cutSummaries(new CommandLine(new Main()), "nas");
        assertTrue(cut.isEmpty(), "summaries that are cut or too long for a command list:\n" + String.join("\n", cut));
    }

    @Test
    void examplesFitTheHelpWidth() {
        List<String> wide = wideExamples(new CommandLine(new Main()), "nas");
        assertTrue(wide.isEmpty(), "example lines wider than " + Main.HELP_WIDTH + " columns:\n" + String.join("\n", wide));
    }

    /** Subcommands whose command-list line is not a whole sentence of at most MAX_SUMMARY characters. */
    private static List<String> cutSummaries(CommandLine root, String path) {
        List<String> cut = new ArrayList<>();
        walk(root, path, (name, usage) -> {
            String line = summary(usage);
            if (!line.endsWith(".") || line.length() > MAX_SUMMARY) cut.add(name + ": \"" + line + "\"");
        });
        return cut;
    }

    /** Preformatted description lines (examples, indented continuations) wider than the help width. */
    private static List<String> wideExamples(CommandLine root, String path) {
        List<String> wide = new ArrayList<>();
        walk(root, path, (name, usage) -> {
            for (String line : usage.description())
                if (preformatted(line) && line.length() > Main.HELP_WIDTH) wide.add(name + ": " + line);
        });
        return wide;
    }

    @Test
    void withoutATerminalTheHelpIsPrintedAtTheHelpWidth() {
        CommandLine cl = Main.commandLine();
        assertEquals(Main.HELP_WIDTH, cl.getUsageHelpWidth());
        assertTrue(cl.isUsageHelpAutoWidth(), "a terminal whose width is known gets it");
        cl.setUsageHelpAutoWidth(false);  // what output to a pipe gets, whatever terminal runs these tests
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out));
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.length() <= Main.HELP_WIDTH), String.join("\n", lines));
        // picocli's own default is 80 columns: the search summary is one line only at the wider setting.
        assertTrue(lines.stream().anyMatch(l -> l.length() > 80 && l.strip().startsWith("search")), String.join("\n", lines));
    }

    @Test
    void theChecksSeeTheWholeTreeAndCatchACutSummaryAndAWideExample() {
        int[] commands = {0};
        walk(new CommandLine(new Main()), "nas", (name, usage) -> commands[0]++);
        assertTrue(commands[0] >= 25, "walked only " + commands[0] + " commands");
        CommandLine fixture = new CommandLine(new Cut());
        assertEquals(List.of("cut child: \"Print the CPU model, the ISA variant, thread counts,\""), cutSummaries(fixture, "cut"));
        assertEquals(1, wideExamples(fixture, "cut").size(), "the fixture's 120-character example");
    }

    private static boolean preformatted(String line) {
        return line.startsWith("Example") || line.startsWith(" ");
    }

    /** Calls check(path, usage) for every subcommand below parent, help commands aside. */
    private static void walk(CommandLine parent, String path, BiConsumer<String, CommandLine.Model.UsageMessageSpec> check) {
        for (var e : parent.getSubcommands().entrySet()) {
            CommandLine sub = e.getValue();
            if (sub.getCommand() instanceof CommandLine.HelpCommand) continue;
            String name = path + " " + e.getKey();
            check.accept(name, sub.getCommandSpec().usageMessage());
            walk(sub, name, check);
        }
    }

    /** What picocli prints for a command in its parent's command list: the header's or description's first line. */
    private static String summary(CommandLine.Model.UsageMessageSpec usage) {
        String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
        return lines.length == 0 ? "" : lines[0].strip();
    }

    @CommandLine.Command(name = "cut", subcommands = CutChild.class)
    static final class Cut implements Runnable {
        @Override
        public void run() {}
    }

    @CommandLine.Command(name = "child", description = {"Print the CPU model, the ISA variant, thread counts,",
            "Example: nas train --space nb201 --arch '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|'"})
    static final class CutChild implements Runnable {
        @Override
        public void run() {}
    }
}
