package archway.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The small HTML vocabulary both report pages share: escaping, number formats, tables, figures, style. */
final class Html {
    /** One style sheet inside the page (no network). */
    static final String STYLE = """
            body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d2329}
            main{max-width:1240px;margin:0 auto;padding:18px 28px 60px}
            h1{font-size:24px;margin:6px 0 2px} h2{font-size:18px;margin:30px 0 10px;border-bottom:1px solid #d7dbe0;padding-bottom:4px}
            .sub{color:#5b6570;margin:0 0 14px;font-size:13px}
            .facts{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
            .fact{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px 12px;min-width:120px}
            .fact b{display:block;font-size:18px} .fact span{font-size:12px;color:#5b6570}
            .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
            figure{margin:0;background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px;overflow-x:auto}
            figure img{max-width:100%;height:auto;display:block;margin:0 auto}
            figcaption{font-size:12px;color:#5b6570;margin-top:4px}
            table{border-collapse:collapse;background:#fff;font-size:12.5px;margin:4px 0}
            th,td{border:1px solid #dde1e6;padding:3px 8px;text-align:right;vertical-align:top}
            th{background:#eef1f4;position:sticky;top:0} td.t,th.t{text-align:left}
            code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
            .scroll{overflow-x:auto;max-width:100%} .note{color:#8a5a00;font-size:13px}
            details summary{cursor:pointer;color:#2c5d8f}
            """;

    private Html() {
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A value as a cell: numbers to 4 significant digits (thousands grouped), strings escaped, lists in brackets. */
    static String value(Object v) {
        return escape(text(v));
    }

    /** {@link #value} before escaping. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            return number(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        if (v instanceof List<?> l && l.size() <= 8 && l.stream().allMatch(o -> o instanceof Number || o instanceof String)) {
            return l.stream().map(o -> o instanceof Double d ? number(d) : String.valueOf(o)).toList().toString();
        }
        return String.valueOf(v);
    }

    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        double a = Math.abs(d);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a == 0) {
            return "0";
        }
        if (a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** True for values a table shows (scalars and short lists); long arrays belong to pictures. */
    static boolean tabular(Object v) {
        return !(v instanceof List<?> l) || (l.size() <= 8 && l.stream().noneMatch(o -> o instanceof List<?>));
    }

    /** A two-column key/value table of the tabular entries; long strings (architectures) as code. */
    static String keyValues(Map<String, Object> m) {
        StringBuilder b = new StringBuilder("<table>");
        m.forEach((k, v) -> {
            if (tabular(v)) {
                String cell = v instanceof String s && s.length() > 24 ? "<code>" + escape(s) + "</code>" : value(v);
                b.append("<tr><th class=t>").append(escape(k)).append("</th><td class=t>").append(cell).append("</td></tr>");
            }
        });
        return b.append("</table>").toString();
    }

    static String figure(Picture p, String caption) {
        return "<figure><img alt=\"" + escape(p.title()) + "\" src=\"" + p.dataUri() + "\">"
                + (caption == null || caption.isEmpty() ? "" : "<figcaption>" + escape(caption) + "</figcaption>") + "</figure>";
    }

    static String fact(String label, String value) {
        return "<div class=fact><b>" + value + "</b><span>" + escape(label) + "</span></div>";
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">"
                + "<title>" + escape(title) + "</title><style>" + STYLE + "</style></head><body><main>\n" + body
                + "\n</main></body></html>\n";
    }
}
