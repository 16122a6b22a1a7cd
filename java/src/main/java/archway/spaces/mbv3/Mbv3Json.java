package archway.spaces.mbv3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;

/**
 * The OFA-style JSON form of a subnet: {"ks":[20 kernels], "e":[20 expand ratios], "d":[5 depths], "r":R},
 * "r" optional (absent = the dataset's resolution).
 */
public final class Mbv3Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("ks", "e", "d", "r");

    private Mbv3Json() {
    }

    public static String write(Mbv3Arch a) {
        StringBuilder sb = new StringBuilder("{\"ks\":").append(list(a.kernels())).append(",\"e\":").append(list(a.expands()))
                .append(",\"d\":").append(list(a.depths()));
        if (a.resolution() > 0) {
            sb.append(",\"r\":").append(a.resolution());
        }
        return sb.append('}').toString();
    }

    /** @throws IllegalArgumentException naming what is wrong (not JSON, a missing or unknown field, a bad value) */
    public static Mbv3Arch parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("mbv3 architecture is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("mbv3 architecture must be a JSON object {\"ks\":[...],\"e\":[...],\"d\":[...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("mbv3 architecture has unknown field \"" + f + "\" (expected ks, e, d, r)");
            }
        }
        int[] ks = ints(root, "ks");
        int[] e = ints(root, "e");
        int[] d = ints(root, "d");
        int r = 0;
        if (root.has("r")) {
            JsonNode rn = root.get("r");
            if (!rn.canConvertToInt() || !rn.isIntegralNumber() || rn.asInt() < 1) {
                throw new IllegalArgumentException("mbv3 \"r\" must be a positive integer, got " + rn);
            }
            r = rn.asInt();
        }
        return new Mbv3Arch(d, ks, e, r);
    }

    private static int[] ints(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("mbv3 architecture needs \"" + field + "\" as an array of integers");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException("mbv3 \"" + field + "\"[" + i + "] is not an integer: " + v);
            }
            out[i] = v.asInt();
        }
        return out;
    }

    private static String list(int[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(']').toString();
    }
}
