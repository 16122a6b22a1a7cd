package archway.spaces.darts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent reader of the DARTS genotype text (see {@link Genotype#parse}). */
final class GenotypeParser {
    private static final List<String> FIELDS = List.of("normal", "normal_concat", "reduce", "reduce_concat");
    private final String s;
    private int pos;

    GenotypeParser(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("genotype: empty text; expected Genotype(normal=[...], normal_concat=[...], "
                    + "reduce=[...], reduce_concat=[...])");
        }
        this.s = text.strip();
    }

    Genotype genotype() {
        skipSpace();
        if (s.startsWith("Genotype", pos)) {
            pos += "Genotype".length();
        }
        expect('(');
        Map<String, Object> fields = new HashMap<>();
        while (true) {
            skipSpace();
            int at = pos;
            String key = identifier();
            if (!FIELDS.contains(key)) {
                throw error(at, "unknown field '" + key + "' (expected one of " + String.join(", ", FIELDS) + ")");
            }
            if (fields.containsKey(key)) {
                throw error(at, "field '" + key + "' given twice");
            }
            expect('=');
            fields.put(key, key.endsWith("_concat") ? concat() : genes());
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
                if (peek() == ')') {
                    break;
                }
                continue;
            }
            break;
        }
        expect(')');
        skipSpace();
        if (pos != s.length()) {
            throw error(pos, "unexpected text after the closing ')'");
        }
        for (String f : FIELDS) {
            if (!fields.containsKey(f)) {
                throw new IllegalArgumentException("genotype: field '" + f + "' is missing in: " + s);
            }
        }
        @SuppressWarnings("unchecked")
        Genotype g = new Genotype((List<Genotype.Gene>) fields.get("normal"), (List<Integer>) fields.get("normal_concat"),
                (List<Genotype.Gene>) fields.get("reduce"), (List<Integer>) fields.get("reduce_concat"));
        return g;
    }

    private List<Genotype.Gene> genes() {
        return list(() -> {
            expect('(');
            String op = quoted();
            expect(',');
            int input = integer();
            expect(')');
            return new Genotype.Gene(op, input);
        });
    }

    /** [item, item, ...] with an optional trailing comma; the empty list [] allowed. */
    private <T> List<T> list(java.util.function.Supplier<T> item) {
        List<T> out = new ArrayList<>();
        expect('[');
        skipSpace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            out.add(item.get());
            skipSpace();
            if (peek() != ',') {
                break;
            }
            pos++;
            skipSpace();
            if (peek() == ']') {
                break;
            }
        }
        expect(']');
        return out;
    }

    private List<Integer> concat() {
        skipSpace();
        List<Integer> out = new ArrayList<>();
        if (s.startsWith("range", pos)) {
            pos += "range".length();
            expect('(');
            int from = integer();
            expect(',');
            int to = integer();
            expect(')');
            if (to - from > 64) {
                throw error(pos, "range(" + from + ", " + to + ") is too long for a cell");
            }
            for (int i = from; i < to; i++) {
                out.add(i);
            }
            return out;
        }
        return list(this::integer);
    }

    private String quoted() {
        skipSpace();
        char q = peek();
        if (q != '\'' && q != '"') {
            throw error(pos, "expected a quoted op name");
        }
        int end = s.indexOf(q, pos + 1);
        if (end < 0) {
            throw error(pos, "unterminated op name");
        }
        String name = s.substring(pos + 1, end);
        pos = end + 1;
        return name;
    }

    private int integer() {
        skipSpace();
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == start || (pos == start + 1 && s.charAt(start) == '-')) {
            throw error(start, "expected an integer");
        }
        try {
            return Integer.parseInt(s.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(start, "integer out of range");
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        if (pos == start) {
            throw error(start, "expected a field name");
        }
        return s.substring(start, pos);
    }

    private void expect(char c) {
        skipSpace();
        if (peek() != c) {
            throw error(pos, "expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(int at, String what) {
        String found = at < s.length() ? "'" + s.substring(at, Math.min(s.length(), at + 12)) + "'" : "end of text";
        return new IllegalArgumentException("genotype: " + what + " at character " + (at + 1) + " (found " + found + ")");
    }
}
