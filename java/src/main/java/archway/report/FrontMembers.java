package archway.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The front of an evolutionary search (result.json's {@code front}: one object per member) as one table: a column
 * per headline number in order of first appearance, the architecture last. Per-exit (NACHOS) and per-corruption
 * (FlatNAS) numbers, genes, trial ids and file names stay in result.json: dozens of columns would hide the few that
 * compare the members.
 */
final class FrontMembers {
    private static final Pattern DETAIL = Pattern.compile("exit\\d+_.*|mce_.+");
    private static final Set<String> LEFT_OUT = Set.of("genes", "trial", "spec", "weights", "arch", "thresholds");

    private FrontMembers() {
    }

    /** The columns of {@code front}: every shown key of any member, in order of first appearance. */
    static List<String> columns(List<?> front) {
        Set<String> cols = new LinkedHashSet<>();
        for (Object o : front) {
            if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    if (!LEFT_OUT.contains(k) && !DETAIL.matcher(k).matches() && Html.tabular(e.getValue())
                            && !(e.getValue() instanceof Map<?, ?>)) {
                        cols.add(k);
                    }
                }
            }
        }
        return new ArrayList<>(cols);
    }

    static String table(List<?> front) {
        List<String> cols = columns(front);
        StringBuilder b = new StringBuilder("<table><tr><th>#</th>");
        cols.forEach(c -> b.append("<th>").append(Html.escape(c)).append("</th>"));
        b.append("<th class=t>architecture</th></tr>");
        int i = 0;
        for (Object o : front) {
            Map<?, ?> m = o instanceof Map<?, ?> map ? map : Map.of();
            b.append("<tr><td>").append(i++).append("</td>");
            cols.forEach(c -> b.append("<td>").append(Html.value(m.get(c))).append("</td>"));
            Object arch = m.get("arch");
            b.append("<td class=t>").append(arch == null ? "" : "<code>" + Html.escape(String.valueOf(arch)) + "</code>")
                    .append("</td></tr>");
        }
        return b.append("</table>").toString();
    }
}
