package archway.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Trial specs and results as JSON (the form they travel in between machines and are stored in archives; no
 * Java serialisation). Canonical: properties and map keys sorted, no whitespace, so equal specs give equal
 * bytes and hence equal ids.
 */
public final class TrialJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private TrialJson() {
    }

    public static String write(Object specOrResult) {
        try {
            return MAPPER.writeValueAsString(specOrResult);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + specOrResult.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static TrialSpec readSpec(String json) {
        return read(json, TrialSpec.class);
    }

    public static TrialResult readResult(String json) {
        return read(json, TrialResult.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    static String canonicalHash(TrialSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(write(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
