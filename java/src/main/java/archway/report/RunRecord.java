package archway.report;

import archway.UserError;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run directory holds, read back for a report: config.json, result.json (absent while a run is
 * unfinished), one map per epoch from metrics.jsonl, and pareto.json when a multi-objective search wrote
 * one ({@link ParetoHistory}).
 */
public record RunRecord(Path dir, Map<String, Object> config, Map<String, Object> result,
        List<Map<String, Object>> epochs, ParetoHistory pareto) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunRecord {
        config = java.util.Collections.unmodifiableMap(nonNull(config));
        result = java.util.Collections.unmodifiableMap(nonNull(result));
        epochs = List.copyOf(epochs);
    }

    /** Reads a run directory; a missing directory or config.json, or a malformed file, is a user error. */
    public static RunRecord load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("run directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new UserError(dir + " is not a run directory (no config.json)");
        }
        Map<String, Object> config = readMap(dir.resolve("config.json"));
        Path resultFile = dir.resolve("result.json");
        Map<String, Object> result = Files.isRegularFile(resultFile) ? readMap(resultFile) : Map.of();
        List<Map<String, Object>> epochs = new ArrayList<>();
        Path metrics = dir.resolve("metrics.jsonl");
        if (Files.isRegularFile(metrics)) {
            try {
                int line = 0;
                for (String text : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                    line++;
                    if (!text.isBlank()) {
                        epochs.add(parse(text, metrics + " line " + line));
                    }
                }
            } catch (IOException e) {
                throw new UserError("cannot read " + metrics + ": " + e.getMessage(), e);
            }
        }
        Path paretoFile = dir.resolve(ParetoHistory.FILE);
        ParetoHistory pareto = Files.isRegularFile(paretoFile) ? ParetoHistory.read(paretoFile) : null;
        return new RunRecord(dir, config, result, epochs, pareto);
    }

    /** "search" or "train" (config.json's command; a search when absent). */
    public String command() { return text(config, "command", "search"); }

    public String algo() { return text(config, "algo", command()); }

    /** nb201, darts or nb201-size-variable (ZO-DARTS++). */
    public String space() {
        if ("zo-darts-pp".equals(config.get("algo"))) {
            return "nb201-size-variable";
        }
        if (isRetrain()) {
            return text(trialSettings(), "space", "nb201");
        }
        return text(config, "space", "nb201");
    }

    public boolean isTrain() { return "train".equals(command()); }

    /** {@code nas supernet train}: the once-for-all supernet of the mbv3 space. */
    public boolean isSupernet() { return "supernet train".equals(command()); }

    /** {@code nas retrain}: one training trial per seed, the same recipe in each (config.json's {@code trials}). */
    public boolean isRetrain() { return "retrain".equals(command()); }

    /** A retrain run's recipe: the first trial's settings (every trial has the same but its seed); else empty. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> trialSettings() {
        if (config.get("trials") instanceof List<?> trials && !trials.isEmpty() && trials.getFirst() instanceof Map<?, ?> t
                && t.get("settings") instanceof Map<?, ?> s) {
            return (Map<String, Object>) s;
        }
        return Map.of();
    }

    /**
     * Whether metrics.jsonl counts iterations of an evolutionary search (FlatNAS, NACHOS: iteration 0 is the initial
     * design) rather than epochs.
     */
    public boolean byIteration() {
        return !epochs.isEmpty() && epochs.getFirst().containsKey("iteration") && !epochs.getFirst().containsKey("epoch");
    }

    /** The run's name in a comparison: its folder name. */
    public String name() {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? dir.toString() : f.toString();
    }

    /** The found architecture: result's genotype (search) or arch (train); the last epoch's while unfinished. */
    public String architecture() {
        for (String key : List.of("genotype", "arch")) {
            if (result.get(key) instanceof String s) {
                return s;
            }
        }
        if (isTrain() && config.get("arch") instanceof String s) {
            return s;
        }
        if (isRetrain() && trialSettings().get("arch") instanceof String s) {
            return s;
        }
        return epochs.isEmpty() ? null : (epochs.getLast().get("genotype") instanceof String s ? s : null);
    }

    /** Per-epoch values of a metric (NaN where an epoch lacks it); empty when no epoch has it. */
    public double[] series(String key) {
        double[] v = new double[epochs.size()];
        boolean any = false;
        for (int e = 0; e < v.length; e++) {
            Object o = epochs.get(e).get(key);
            v[e] = o instanceof Number n ? n.doubleValue() : Double.NaN;
            any |= o instanceof Number;
        }
        return any ? v : new double[0];
    }

    /** Epoch numbers as metrics.jsonl gives them (1-based), or 1..n. */
    public double[] epochNumbers() {
        double[] e = series("epoch");
        if (e.length == 0) {
            e = new double[epochs.size()];
            for (int i = 0; i < e.length; i++) {
                e[i] = i + 1;
            }
        }
        return e;
    }

    /** Each epoch's mixing weights as rows (edge) of op probabilities; null for an epoch without them. */
    @SuppressWarnings("unchecked")
    public List<double[][]> probabilities() {
        List<double[][]> out = new ArrayList<>();
        for (Map<String, Object> m : epochs) {
            if (!(m.get("probabilities") instanceof List<?> rows)) {
                out.add(null);
                continue;
            }
            double[][] p = new double[rows.size()][];
            for (int r = 0; r < p.length; r++) {
                p[r] = ((List<Number>) rows.get(r)).stream().mapToDouble(Number::doubleValue).toArray();
            }
            out.add(p);
        }
        return out;
    }

    private static String text(Map<String, Object> m, String key, String otherwise) {
        return m.get(key) instanceof String s ? s : otherwise;
    }

    private static Map<String, Object> nonNull(Map<String, Object> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, Object> readMap(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text, String where) {
        try {
            return JSON.readValue(text, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(where + " is not a JSON object: " + e.getOriginalMessage());
        }
    }
}
