package archway.flatnas;

import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.spaces.mbv3.Mbv3Space;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Pareto front of a FlatNAS result.json as a table a person reads (the command's last lines, bench notes). */
public final class FrontTable {
    private FrontTable() {
    }

    /** Depths per stage, then the mean kernel and expand ratio over the layers in use: "d 2,3,4,2,3  k 4.6  e 4.2". */
    public static String summary(int[] genes) {
        Mbv3Arch a = new Mbv3GeneSpace(List.of()).decode(genes);
        StringBuilder d = new StringBuilder();
        double k = 0;
        double e = 0;
        int layers = 0;
        for (int s = 0; s < Mbv3Space.STAGES; s++) {
            d.append(s == 0 ? "" : ",").append(a.depth(s));
            for (int l = 0; l < a.depth(s); l++) {
                k += a.kernel(s, l);
                e += a.expand(s, l);
                layers++;
            }
        }
        return String.format(Locale.ROOT, "d %s  k %.1f  e %.1f", d, k / layers, e / layers);
    }

    /** One line per front member (sorted by parameters as in result.json), with a header. */
    @SuppressWarnings("unchecked")
    public static String text(Map<String, Object> result) {
        List<Map<String, Object>> front = (List<Map<String, Object>>) result.get("front");
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%12s %12s %8s %7s %8s  %s%n", "params", "MACs",
                "error", "R", "mCE", "architecture (depths; mean kernel, expand)"));
        for (Map<String, Object> m : front) {
            Object mce = m.get(FlatnasMetrics.MCE);
            b.append(String.format(Locale.ROOT, "%,12d %,12d %7.2f%% %7.3f %8s  %s%n", ((Number) m.get("params")).longValue(),
                    ((Number) m.get("macs")).longValue(), ((Number) m.get("error")).doubleValue(),
                    ((Number) m.get("flatness")).doubleValue(),
                    mce == null ? "-" : String.format(Locale.ROOT, "%.2f%%", ((Number) mce).doubleValue()),
                    summary(genes(m.get("genes")))));
        }
        return b.toString();
    }

    private static int[] genes(Object g) {
        if (g instanceof int[] a) {
            return a;
        }
        return ((List<?>) g).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }
}
